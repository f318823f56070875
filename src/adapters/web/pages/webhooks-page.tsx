import type { FC } from "hono/jsx";
import type { OutboxEvent } from "../../../application/ports/outbox-repository.ts";
import type { EndpointWithHealth } from "../../../application/webhooks/list-webhook-endpoints.ts";
import type { Business } from "../../../domain/business.ts";
import { CsrfField } from "../components/csrf-field.tsx";
import { Layout } from "../components/layout.tsx";
import type { WebSession } from "../web-env.ts";

export type WebhooksPageProps = {
  readonly session: WebSession;
  readonly businesses: readonly Business[];
  readonly business: Business;
  readonly endpoints: readonly EndpointWithHealth[];
  readonly events: readonly OutboxEvent[];
  /** What the last form did, to say so at the top. */
  readonly notice: string | null;
};

const when = (at: Date) => at.toISOString().replace("T", " ").slice(0, 19);

/** `/dashboard/webhooks`: the endpoints with their health and disabled reason, and the event log with "resend". */
export const WebhooksPage: FC<WebhooksPageProps> = ({
  session,
  businesses,
  business,
  endpoints,
  events,
  notice,
}) => (
  <Layout
    title="Webhooks"
    session={session}
    businessId={business.id}
    section="settings"
    switcher={{ businesses, current: business, action: "/dashboard/webhooks" }}
  >
    <h1>Webhooks</h1>
    {notice === null ? null : <p class="alert info">{notice}</p>}
    <section class="card" id="endpoints">
      <h2>Endpoints</h2>
      {endpoints.length === 0 ? (
        <p>
          No endpoints yet. Add one with <code>POST /api/businesses/{business.id}/webhook-endpoints</code>.
        </p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>URL</th>
              <th>Events</th>
              <th>State</th>
              <th>Last delivery</th>
            </tr>
          </thead>
          <tbody>
            {endpoints.map(({ endpoint, lastAttempt }) => (
              <tr>
                <td>
                  <code>{endpoint.url}</code>
                  {endpoint.description === null ? null : <div>{endpoint.description}</div>}
                </td>
                <td>{endpoint.events.join(", ")}</td>
                <td>
                  {endpoint.enabled ? "Enabled" : "Disabled"}
                  {endpoint.disabledReason === null ? null : (
                    <div class="alert error">{endpoint.disabledReason}</div>
                  )}
                </td>
                <td>
                  {lastAttempt === null
                    ? "None yet"
                    : `${lastAttempt.status === "delivered" ? "Delivered" : "Failed"}${
                        lastAttempt.responseStatus === null ? "" : ` (${lastAttempt.responseStatus})`
                      } at ${when(lastAttempt.at)}${lastAttempt.error === null ? "" : `: ${lastAttempt.error}`}`}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
    <section class="card" id="events">
      <h2>Event log</h2>
      {events.length === 0 ? (
        <p>No events yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>When</th>
              <th>Type</th>
              <th>Id</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {events.map((event) => (
              <tr>
                <td>{when(event.createdAt)}</td>
                <td>{event.type}</td>
                <td>
                  <code>{event.id}</code>
                </td>
                <td>
                  <form method="post" action={`/dashboard/webhooks/events/${event.id}/resend`}>
                    <CsrfField session={session} />
                    <input type="hidden" name="business" value={business.id} />
                    <button type="submit">Resend</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  </Layout>
);
