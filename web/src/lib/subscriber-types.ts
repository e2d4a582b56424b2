// Types of the subscriber API's answers, inferred from the server's router type (no runtime import).
import type { api } from './api.ts';

type Output<F extends (...args: never[]) => Promise<unknown>> = Awaited<ReturnType<F>>;

export type SubscriberPage = Output<typeof api.subscriber.list.query>;
export type SubscriberListRow = SubscriberPage['rows'][number];
export type Subscriber = Output<typeof api.subscriber.get.query>['subscriber'];
export type SubscriberSession = Output<typeof api.subscriber.sessions.query>[number];
export type UsageDay = Output<typeof api.subscriber.usage.query>[number];
export type TimelineEntry = Output<typeof api.subscriber.timeline.query>[number];
export type ImportPreview = Output<typeof api.subscriber.importPreview.mutate>;
export type ImportCheck = Output<typeof api.subscriber.importCheck.mutate>;
export type ImportCommit = Output<typeof api.subscriber.importCommit.mutate>;
export type StatusChange = Output<typeof api.subscriber.suspend.mutate>;
