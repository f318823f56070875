import type { MikroORM } from "@mikro-orm/core";
import type { AbstractSqlDriver, SqlEntityManager } from "@mikro-orm/postgresql";

/**
 * Runs `work` in a database transaction on a fresh fork of the EntityManager, begun and committed on that fork's
 * connection: committed when `work` resolves, rolled back when it throws.
 *
 * Not `em.transactional` nor `em.commit()`: the first carries the transaction in an AsyncLocalStorage context and
 * the second flushes inside one. Once any AsyncLocalStorage has been entered, Node keeps its promise hooks on for
 * the rest of the process, so every promise of every request pays for them (more work per promise, more garbage).
 * PayMe's repositories are handed their EntityManager and write natively, so they need neither the context nor a
 * flush.
 */
export async function inForkTransaction<T>(
  orm: MikroORM<AbstractSqlDriver, SqlEntityManager>,
  work: (em: SqlEntityManager) => Promise<T>,
): Promise<T> {
  const em = orm.em.fork();
  await em.begin();
  const transaction = em.getTransactionContext();
  if (transaction === undefined) {
    throw new Error("the database transaction did not begin");
  }
  try {
    const result = await work(em);
    await em.getConnection("write").commit(transaction);
    return result;
  } catch (error) {
    await em.rollback();
    throw error;
  }
}
