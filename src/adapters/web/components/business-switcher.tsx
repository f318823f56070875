import type { FC } from "hono/jsx";
import type { Business } from "../../../domain/business.ts";

export type SwitcherProps = {
  readonly businesses: readonly Business[];
  readonly current: Business;
  readonly action: string;
};

/** For a user of several businesses: which one the page is about. A plain GET form, so it needs no script. */
export const BusinessSwitcher: FC<SwitcherProps> = ({ businesses, current, action }) =>
  businesses.length < 2 ? null : (
    <form method="get" action={action} class="switcher">
      <label for="business-switch">Business</label>
      <select id="business-switch" name="business">
        {businesses.map((business) => (
          <option value={business.id} selected={business.id === current.id}>
            {business.name}
          </option>
        ))}
      </select>
      <button type="submit" class="secondary">
        Switch
      </button>
    </form>
  );
