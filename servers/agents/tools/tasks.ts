import { z } from 'zod';
import { page, pageSize } from '../../kit/common-inputs.ts';
import { defineTool, READ_ONLY, writes } from '../../kit/tool.ts';
import {
  createTask,
  deleteTask,
  listRuns,
  listTasks,
  requestRun,
  TASK_EVENT_NAMES,
  TASK_EVENTS,
  updateTask,
} from '../tasks.ts';
import { agentName } from './definitions.ts';

const taskRef = z.string().trim().min(1).max(120).describe('The task: its id (tsk_…) or its name.');
const taskName = z
  .string()
  .trim()
  .min(1)
  .max(80)
  .describe('A short name for the task, e.g. "Monday digest".');
const instruction = z
  .string()
  .trim()
  .min(1)
  .max(4000)
  .describe('What the agent should do each time the task runs, as you would type it in a chat.');
const schedule = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .describe(
    'When to run: a cron expression (minute hour day-of-month month day-of-week), e.g. "0 9 * * 1-5" for 9:00 ' +
      'on weekdays. At most once a minute.',
  );
const timezone = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .describe('The IANA time zone the schedule is read in, e.g. Europe/Paris; default your own.');
const event = z.enum(TASK_EVENT_NAMES).describe(
  `Run when this happens: ${Object.entries(TASK_EVENTS)
    .map(([name, what]) => `${name} (${what})`)
    .join('; ')}.`,
);

const access = { permission: 'agents.use', feature: 'ai', scope: 'tenant' } as const;

/** Task automation: agent instructions run as their owner on a schedule or when something happens. */
export const taskTools = [
  defineTool({
    name: 'create_task',
    title: 'Create a task',
    description:
      'Have an agent carry out an instruction for you automatically, on a schedule (cron) or when an event ' +
      'happens: give exactly one of schedule or event. The task runs as you, with your rights at the time it ' +
      'runs; calls that need approval are not made (nobody is there to approve them) and show in its run history.',
    input: z.strictObject({
      name: taskName,
      instruction,
      agent: agentName.optional().describe('The agent that runs it; default "assistant".'),
      schedule: schedule.optional(),
      timezone: timezone.optional(),
      event: event.optional(),
      enabled: z.boolean().optional().describe('false to create it switched off; default true.'),
    }),
    access,
    annotations: writes(),
    handler: (args, call) =>
      call.transaction(async (tx) => {
        const task = await createTask(tx, call.ctx, args);
        call.audit.target = task.id;
        return { task };
      }),
  }),
  defineTool({
    name: 'list_tasks',
    title: 'List tasks',
    description:
      'Your automated tasks with their schedule or event and next run; those who manage agents see all of ' +
      'their organisation’s tasks.',
    input: z.strictObject({}),
    access,
    annotations: READ_ONLY,
    handler: async (_args, call) => ({ tasks: await call.transaction((tx) => listTasks(tx, call.ctx)) }),
  }),
  defineTool({
    name: 'update_task',
    title: 'Change a task',
    description:
      'Change a task: its name, instruction, agent, schedule or event (giving one replaces the other), time ' +
      'zone, or switch it on or off with enabled. Only its owner changes what it does.',
    input: z.strictObject({
      task: taskRef,
      name: taskName.optional(),
      instruction: instruction.optional(),
      agent: agentName.optional(),
      schedule: schedule.optional(),
      timezone: timezone.optional(),
      event: event.optional(),
      enabled: z.boolean().optional().describe('true to switch it on, false to switch it off.'),
    }),
    access,
    annotations: writes({ idempotent: true }),
    handler: (args, call) =>
      call.transaction(async (tx) => {
        const task = await updateTask(tx, call.ctx, args);
        call.audit.target = task.id;
        return { task };
      }),
  }),
  defineTool({
    name: 'delete_task',
    title: 'Delete a task',
    description: 'Delete a task and its run history.',
    input: z.strictObject({ task: taskRef }),
    access,
    annotations: writes({ destructive: true, idempotent: true }),
    handler: (args, call) =>
      call.transaction(async (tx) => {
        const result = await deleteTask(tx, call.ctx, args.task);
        call.audit.target = result.deleted;
        return result;
      }),
  }),
  defineTool({
    name: 'run_task',
    title: 'Run a task now',
    description:
      'Run a task now, besides its schedule or event; it is queued and runs within seconds as its owner.',
    input: z.strictObject({ task: taskRef }),
    access,
    annotations: writes(),
    handler: (args, call) =>
      call.transaction(async (tx) => {
        const result = await requestRun(tx, call.ctx, args.task);
        call.audit.target = result.task.id;
        return result;
      }),
  }),
  defineTool({
    name: 'task_runs',
    title: 'A task’s runs',
    description:
      'A task’s run history, newest first: when each run happened, why (schedule, event, manual), its status ' +
      'and attempts, the agent’s reply, the tool calls it made and those left waiting for approval.',
    input: z.strictObject({ task: taskRef, page, pageSize }),
    access,
    annotations: READ_ONLY,
    handler: (args, call) =>
      call.transaction((tx) => listRuns(tx, call.ctx, args.task, args.page, args.pageSize)),
  }),
];
