import type { FC } from "hono/jsx";
import { Layout } from "../components/layout.tsx";
import type { WebSession } from "../web-env.ts";

/** A short page that says what happened and where to go next: a refused form, a missing page, our own error. */
export const MessagePage: FC<{
  readonly title: string;
  readonly message: string;
  readonly session?: WebSession | undefined;
  /** Where to go next; none on a page for the public (a receipt link), which is then bare. */
  readonly link?: { readonly href: string; readonly text: string };
}> = ({ title, message, session, link }) => (
  <Layout title={title} session={session} bare={link === undefined}>
    <h1>{title}</h1>
    <p>{message}</p>
    {link === undefined ? null : (
      <p>
        <a class="button" href={link.href}>
          {link.text}
        </a>
      </p>
    )}
  </Layout>
);
