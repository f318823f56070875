import type { FC } from "hono/jsx";
import { Layout } from "../components/layout.tsx";
import type { WebSession } from "../web-env.ts";

/** A short page that says what happened and where to go next: a refused form, a missing page, our own error. */
export const MessagePage: FC<{
  readonly title: string;
  readonly message: string;
  readonly session?: WebSession | undefined;
  readonly link: { readonly href: string; readonly text: string };
}> = ({ title, message, session, link }) => (
  <Layout title={title} session={session}>
    <h1>{title}</h1>
    <p>{message}</p>
    <p>
      <a class="button" href={link.href}>
        {link.text}
      </a>
    </p>
  </Layout>
);
