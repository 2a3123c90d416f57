import type { FastifyReply } from 'fastify';
import { problemContentType, type ProblemDetails } from '../contract/api-schemas';

/** Every error the platform sends is an RFC 9457 problem document. */
export function sendProblem(
  reply: FastifyReply,
  status: number,
  title: string,
  extra: { detail?: string; fieldErrors?: Record<string, string>; reason?: string } = {},
): FastifyReply {
  const body: ProblemDetails = { type: 'about:blank', title, status, ...extra };
  return reply.code(status).type(problemContentType).send(JSON.stringify(body));
}
