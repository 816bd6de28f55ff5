import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { completeTask, listTasks } from '@guanjia/core';
import type { CursorCodec } from '../cursor.ts';
import type { AppEnv } from '../env.ts';
import { errorResponses, IdempotencyHeader, page, PageQuery, RecordId } from '../schemas/common.ts';
import { CompletedTaskSchema, CompletionSchema, TaskListQuery, TaskSchema } from '../schemas/tasks.ts';
import { taskView, withoutVersion } from '../views.ts';
import { pageRequest, pageResponse } from './paging.ts';
import { json, ok } from './media.ts';
import { access, REACH } from '../route-conventions.ts';

const IdParams = z.object({ id: RecordId });

export function taskRoutes(app: OpenAPIHono<AppEnv>, cursors: CursorCodec): void {
  app.openapi(
    createRoute({
      method: 'get',
      path: '/v1/tasks',
      ...access('task.read', REACH.ownTasks),
      tags: ['Tasks'],
      summary: 'Tasks, soonest due first',
      request: { query: TaskListQuery.extend(PageQuery) },
      responses: { 200: ok('a page of tasks', page(TaskSchema)), ...errorResponses },
    }),
    async (c) => {
      const { limit, cursor, ...filter } = c.req.valid('query');
      const result = await listTasks(c.get('ctx'), c.get('principal'), filter, pageRequest(c, cursors, { limit, cursor }));
      return c.json(pageResponse(c, cursors, result, taskView), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/v1/tasks/{id}/complete',
      ...access('task.complete', REACH.ownTasks),
      tags: ['Tasks'],
      summary: 'Complete a task with its outcome',
      request: { params: IdParams, headers: IdempotencyHeader, body: json(CompletionSchema) },
      responses: { 200: ok('the completed task, with the complaints its findings opened', CompletedTaskSchema), ...errorResponses },
    }),
    async (c) => {
      const { task, complaints } = await completeTask(c.get('ctx'), c.get('principal'), c.req.valid('param').id, c.req.valid('json'));
      return c.json({ ...taskView(task), complaints: complaints.map(withoutVersion) }, 200);
    },
  );
}
