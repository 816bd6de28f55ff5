import type { Principal } from '@guanjia/core';
import express, { type NextFunction, type Request, type Response } from 'express';
import serverless from 'serverless-http';
import { customerAnswer, isAnswer, principalOf } from './peers-work.ts';

/**
 * What many teams would write instead: Express 5 under `serverless-http`, the same route
 * with the same token check and work (peers-work.ts), answered with `res.json`.
 */

const app = express();
app.disable('x-powered-by');
app.disable('etag');

app.use('/v1', async (req: Request, res: Response, next: NextFunction) => {
  const principal = await principalOf(req.get('authorization'));
  if (isAnswer(principal)) {
    res.status(principal.status).type('application/problem+json').json(principal.body);
    return;
  }
  res.locals.principal = principal;
  next();
});

app.get('/v1/customers/:id', async (req: Request<{ id: string }>, res: Response) => {
  const answer = await customerAnswer(res.locals.principal as Principal, req.params.id);
  res.status(answer.status).set('cache-control', 'no-store');
  if (answer.status !== 200) res.type('application/problem+json');
  res.json(answer.body);
});

export const handler = serverless(app);
