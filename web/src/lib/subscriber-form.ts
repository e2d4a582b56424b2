// The subscriber form's text fields → `subscriberInput` / `subscriberUpdateInput` from
// @kasi/domain, the only source of the rules. Blank optional fields mean "not set".
import {
  subscriberInput,
  subscriberUpdateInput,
  type SubscriberUpdate,
  type SubscriberValues,
} from '@kasi/domain';
import type { Subscriber } from './subscriber-types.ts';
import { blankToNull, validate, type Parsed } from './form-input.ts';

export interface SubscriberFields {
  username: string;
  password: string;
  planId: string;
  service: 'any' | 'pppoe' | 'hotspot';
  macAddress: string;
  framedIp: string;
  fullName: string;
  phone: string;
  email: string;
  address: string;
  latitude: string;
  longitude: string;
  /** Space- or comma-separated. */
  tags: string;
  notes: string;
}

export function emptySubscriberFields(planId = ''): SubscriberFields {
  return {
    username: '',
    password: '',
    planId,
    service: 'any',
    macAddress: '',
    framedIp: '',
    fullName: '',
    phone: '',
    email: '',
    address: '',
    latitude: '',
    longitude: '',
    tags: '',
    notes: '',
  };
}

export function fieldsOf(s: Subscriber): SubscriberFields {
  return {
    username: s.username,
    password: '',
    planId: s.planId,
    service: s.service === 'pppoe' || s.service === 'hotspot' ? s.service : 'any',
    macAddress: s.macAddress ?? '',
    framedIp: s.framedIp ?? '',
    fullName: s.fullName ?? '',
    phone: s.phone ?? '',
    email: s.email ?? '',
    address: s.address ?? '',
    latitude: s.latitude ?? '',
    longitude: s.longitude ?? '',
    tags: s.tags.join(' '),
    notes: s.notes ?? '',
  };
}

const splitTags = (text: string) => text.split(/[\s,;]+/).filter(Boolean);

function editableCandidate(f: SubscriberFields) {
  return {
    planId: f.planId,
    service: f.service,
    macAddress: blankToNull(f.macAddress),
    framedIp: blankToNull(f.framedIp),
    fullName: blankToNull(f.fullName),
    phone: blankToNull(f.phone),
    email: blankToNull(f.email),
    address: blankToNull(f.address),
    latitude: blankToNull(f.latitude),
    longitude: blankToNull(f.longitude),
    tags: splitTags(f.tags),
    notes: blankToNull(f.notes),
  };
}

/** A blank password asks the server to make one (shown once after saving). */
export function toSubscriberInput(f: SubscriberFields): Parsed<SubscriberValues> {
  const password = f.password === '' ? undefined : f.password;
  return validate(subscriberInput, { ...editableCandidate(f), username: f.username, password });
}

export function toSubscriberUpdate(id: string, f: SubscriberFields): Parsed<SubscriberUpdate> {
  return validate(subscriberUpdateInput, { ...editableCandidate(f), id });
}
