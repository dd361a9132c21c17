import { eq } from 'drizzle-orm';
import type { Tx } from '../../core/db/connection.ts';
import { AppError } from '../../core/errors.ts';
import { customers, leads } from './schema.ts';

/** A lead by id, inside the caller's scope (row-level security): another tenant's lead is not found. */
export async function findLead(tx: Tx, id: string) {
  const [lead] = await tx.select().from(leads).where(eq(leads.id, id)).for('update');
  if (!lead) throw new AppError('not_found', `No lead ${id} that you can access.`, { field: 'lead' });
  return lead;
}

export async function findCustomer(tx: Tx, id: string) {
  const [customer] = await tx.select().from(customers).where(eq(customers.id, id));
  if (!customer)
    throw new AppError('not_found', `No customer ${id} that you can access.`, { field: 'customer' });
  return customer;
}

/** Digits of a phone number, for matching "+1 (555) 0100" with "15550100". */
export const phoneDigits = (phone: string | null | undefined) => {
  const digits = phone?.replace(/\D/g, '') ?? '';
  return digits.length >= 5 ? digits : null;
};
