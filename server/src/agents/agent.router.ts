import { z } from 'zod';
import {
  agentInput,
  agentUpdateInput,
  deviceRegisterInput,
  deviceStatusInput,
  leaseInput,
} from '@kasi/domain';
import { authedProcedure, router } from '../trpc/trpc.ts';
import { createAgent, getOwnAgent, listAgents, updateAgent } from './agent.service.ts';
import { approveDevice, listDevices, registerDevice, retireDevice } from './device.service.ts';
import { leaseVouchers, listLeases, requestLease, revokeLease } from './lease.service.ts';

export const agentRouter = router({
  list: authedProcedure.query(({ ctx }) => listAgents(ctx.app, ctx.actor)),
  create: authedProcedure
    .input(agentInput)
    .mutation(({ ctx, input }) => createAgent(ctx.app, ctx.actor, input)),
  update: authedProcedure
    .input(agentUpdateInput)
    .mutation(({ ctx, input }) => updateAgent(ctx.app, ctx.actor, input)),
  /** The signed-in agent's own account and devices. */
  me: authedProcedure.query(({ ctx }) => getOwnAgent(ctx.app, ctx.actor)),

  devices: authedProcedure
    .input(z.object({ agentId: z.uuid().optional() }))
    .query(({ ctx, input }) => listDevices(ctx.app, ctx.actor, input)),
  registerDevice: authedProcedure
    .input(deviceRegisterInput)
    .mutation(({ ctx, input }) => registerDevice(ctx.app, ctx.actor, input)),
  approveDevice: authedProcedure
    .input(deviceStatusInput)
    .mutation(({ ctx, input }) => approveDevice(ctx.app, ctx.actor, input)),
  revokeDevice: authedProcedure
    .input(deviceStatusInput)
    .mutation(({ ctx, input }) => retireDevice(ctx.app, ctx.actor, input, 'revoked')),
  markDeviceLost: authedProcedure
    .input(deviceStatusInput)
    .mutation(({ ctx, input }) => retireDevice(ctx.app, ctx.actor, input, 'lost')),

  leases: authedProcedure
    .input(z.object({ deviceId: z.uuid().optional(), agentId: z.uuid().optional() }))
    .query(({ ctx, input }) => listLeases(ctx.app, ctx.actor, input)),
  lease: authedProcedure
    .input(leaseInput)
    .mutation(({ ctx, input }) => leaseVouchers(ctx.app, ctx.actor, input)),
  /** The agent asks for stock for their own device. */
  requestLease: authedProcedure
    .input(leaseInput)
    .mutation(({ ctx, input }) => requestLease(ctx.app, ctx.actor, input)),
  revokeLease: authedProcedure
    .input(z.object({ leaseId: z.uuid() }))
    .mutation(({ ctx, input }) => revokeLease(ctx.app, ctx.actor, input.leaseId)),
});
