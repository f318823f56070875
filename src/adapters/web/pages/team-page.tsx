import type { FC } from "hono/jsx";
import type { ApiKeyRecord } from "../../../application/ports/api-key-repository.ts";
import type { Invitation } from "../../../application/ports/invitation-repository.ts";
import type { Member } from "../../../application/ports/member-repository.ts";
import { API_KEY_SCOPES, DEFAULT_API_KEY_SCOPES } from "../../../domain/api-key-scope.ts";
import type { Business } from "../../../domain/business.ts";
import { INVITABLE_ROLES, ROLES } from "../../../domain/role.ts";
import { CsrfField } from "../components/csrf-field.tsx";
import { Field } from "../components/field.tsx";
import { FormAlert } from "../components/form-alert.tsx";
import { Layout } from "../components/layout.tsx";
import type { FormState } from "../form-state.ts";
import type { WebSession } from "../web-env.ts";

export const TEAM_LABELS = { email: "Email", role: "Role" } as const;
export const API_KEY_LABELS = { name: "Name", scopes: "Scopes" } as const;

const when = (at: Date) => at.toISOString().slice(0, 16).replace("T", " ");

/** Hidden fields every form of these pages carries: the session's CSRF token and the business. */
const FormContext: FC<{ readonly session: WebSession; readonly business: Business }> = ({
  session,
  business,
}) => (
  <>
    <CsrfField session={session} />
    <input type="hidden" name="business" value={business.id} />
  </>
);

/** A secret shown once (an API key, an invitation link): selectable without script, copied with it. */
const ShownOnce: FC<{
  readonly id: string;
  readonly label: string;
  readonly value: string;
  readonly note: string;
}> = (props) => (
  <div class="alert info" role="status">
    <label for={props.id}>{props.label}</label>
    <input id={props.id} type="text" readonly value={props.value} data-secret />
    <button type="button" class="linkish" data-copy={props.id} hidden>
      Copy
    </button>
    <p class="muted">{props.note}</p>
  </div>
);

export type TeamPageProps = {
  readonly session: WebSession;
  readonly businesses: readonly Business[];
  readonly business: Business;
  readonly members: readonly Member[];
  readonly invitations: readonly Invitation[];
  readonly form: FormState;
  /** The link of an invitation just made: shown this once. */
  readonly inviteUrl: string | null;
};

/** `/team`: an owner's members (roles, removal), pending invitations, and adding someone by email. */
export const TeamPage: FC<TeamPageProps> = (props) => {
  const { session, business, form } = props;
  return (
    <Layout
      title="Team"
      session={session}
      businessId={business.id}
      section="settings"
      switcher={{ businesses: props.businesses, current: business, action: "/team" }}
    >
      <h1>Team of {business.name}</h1>
      <p class="muted">
        Owners can do everything. Managers run products, sales and refunds but not payment settings, payouts,
        the team or API keys. Cashiers charge customers and see products and sales.
      </p>
      {props.inviteUrl === null ? null : (
        <ShownOnce
          id="invite-url"
          label="Invitation link"
          value={props.inviteUrl}
          note="Send this link to the person you invited. It works for 7 days, once, and only with that email. It is not shown again."
        />
      )}
      <section class="card" id="members">
        <h2>Members</h2>
        <ul class="rows">
          {props.members.map((member) => (
            <li data-member={member.userId} data-role={member.role}>
              <span>
                <strong>{member.name}</strong> · {member.email.value} · {member.role}
              </span>
              {member.userId === session.user.id ? (
                <span class="muted">you</span>
              ) : (
                <span>
                  <form method="post" action="/team/role" class="inline">
                    <FormContext session={session} business={business} />
                    <input type="hidden" name="userId" value={member.userId} />
                    <select name="role" aria-label={`Role of ${member.name}`}>
                      {ROLES.map((role) => (
                        <option value={role} selected={role === member.role}>
                          {role}
                        </option>
                      ))}
                    </select>
                    <button type="submit">Change role</button>
                  </form>
                  <form method="post" action="/team/remove" class="inline">
                    <FormContext session={session} business={business} />
                    <input type="hidden" name="userId" value={member.userId} />
                    <button type="submit">Remove</button>
                  </form>
                </span>
              )}
            </li>
          ))}
        </ul>
      </section>
      <section class="card" id="invitations">
        <h2>Pending invitations</h2>
        {props.invitations.length === 0 ? (
          <p class="muted">None.</p>
        ) : (
          <ul class="rows">
            {props.invitations.map((invitation) => (
              <li data-invitation={invitation.id}>
                <span>
                  {invitation.email.value} · {invitation.role} · until {when(invitation.expiresAt)} UTC
                </span>
                <form method="post" action="/team/invitations/withdraw" class="inline">
                  <FormContext session={session} business={business} />
                  <input type="hidden" name="invitationId" value={invitation.id} />
                  <button type="submit">Withdraw</button>
                </form>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="card" id="add-member">
        <h2>Add someone</h2>
        <FormAlert form={form} />
        <form method="post" action="/team">
          <FormContext session={session} business={business} />
          <Field
            name="email"
            label={TEAM_LABELS.email}
            form={form}
            type="email"
            idPrefix="member"
            help="Someone with a PayMe account joins at once; anyone else gets an invitation link."
          />
          <label for="member-role">{TEAM_LABELS.role}</label>
          <select id="member-role" name="role">
            {INVITABLE_ROLES.map((role) => (
              <option value={role} selected={(form.values.role ?? "cashier") === role}>
                {role}
              </option>
            ))}
          </select>
          <button type="submit">Add</button>
        </form>
      </section>
    </Layout>
  );
};

export type ApiKeysPageProps = {
  readonly session: WebSession;
  readonly businesses: readonly Business[];
  readonly business: Business;
  readonly apiKeys: readonly ApiKeyRecord[];
  readonly form: FormState;
  /** The secret of a key just created: shown this once. */
  readonly created: { readonly name: string; readonly secret: string } | null;
};

/** `/api-keys`: an owner's keys for the business's own systems: create (shown once), list, revoke. */
export const ApiKeysPage: FC<ApiKeysPageProps> = (props) => {
  const { session, business, form } = props;
  const checked = (scope: string) =>
    Object.keys(form.values).some((name) => name.startsWith("scope."))
      ? form.values[`scope.${scope}`] !== undefined
      : (DEFAULT_API_KEY_SCOPES as readonly string[]).includes(scope);
  return (
    <Layout
      title="API keys"
      session={session}
      businessId={business.id}
      section="settings"
      switcher={{ businesses: props.businesses, current: business, action: "/api-keys" }}
    >
      <h1>API keys of {business.name}</h1>
      <p class="muted">
        A key lets your own systems call PayMe for this business only: send it as{" "}
        <code>Authorization: Bearer</code>. It can never manage the team, keys or payment settings.
      </p>
      {props.created === null ? null : (
        <ShownOnce
          id="new-key"
          label={`Secret of "${props.created.name}"`}
          value={props.created.secret}
          note="Copy it now and keep it safe: it is stored only as a hash and never shown again."
        />
      )}
      <section class="card" id="keys">
        <h2>Keys</h2>
        {props.apiKeys.length === 0 ? (
          <p class="muted">No keys yet.</p>
        ) : (
          <ul class="rows">
            {props.apiKeys.map((key) => (
              <li data-api-key={key.id}>
                <span>
                  <strong>{key.name}</strong> · <code>{key.prefix}…</code> · {key.scopes.join(", ")} · last
                  used {key.lastUsedAt === null ? "never" : `${when(key.lastUsedAt)} UTC`}
                </span>
                <form method="post" action="/api-keys/revoke" class="inline">
                  <FormContext session={session} business={business} />
                  <input type="hidden" name="apiKeyId" value={key.id} />
                  <button type="submit">Revoke</button>
                </form>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section class="card" id="create-key">
        <h2>Create a key</h2>
        <FormAlert form={form} />
        <form method="post" action="/api-keys">
          <FormContext session={session} business={business} />
          <Field name="name" label={API_KEY_LABELS.name} form={form} idPrefix="key" maxlength={100} />
          <fieldset>
            <legend class="legend">{API_KEY_LABELS.scopes}</legend>
            {API_KEY_SCOPES.map((scope) => (
              <label>
                <input type="checkbox" name={`scope.${scope}`} value="on" checked={checked(scope)} /> {scope}
              </label>
            ))}
          </fieldset>
          <button type="submit">Create key</button>
        </form>
      </section>
    </Layout>
  );
};
