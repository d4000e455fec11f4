// The aws-door bench's peer: Fastify with no auth and no store, answering every POST with a
// fixed GetCallerIdentity response. Run as its own process, like the Slipway server it is
// compared with; prints its URL once listening.
import Fastify from 'fastify';

const body =
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">' +
  '<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/admin</Arn>' +
  '<UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult>' +
  '<ResponseMetadata><RequestId>x</RequestId></ResponseMetadata></GetCallerIdentityResponse>';

const app = Fastify({ logger: false });
// Fastify answers 415 to form bodies by default; read them as the real door must.
app.addContentTypeParser(
  'application/x-www-form-urlencoded',
  { parseAs: 'string' },
  (_request, payload, done) => done(null, payload),
);
app.post('/', (_request, reply) => reply.type('text/xml').send(body));

await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
const port = typeof address === 'object' && address !== null ? address.port : 0;
process.stdout.write(`bare STS peer listening on http://127.0.0.1:${port} \n`);
process.on('SIGTERM', () => void app.close());
