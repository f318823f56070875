import * as v from "valibot";

/** An id in a path or query: PayMe's ids are UUIDs. */
export const idParam = v.pipe(v.string("is required"), v.uuid("must be an id as PayMe issues them (a UUID)"));
