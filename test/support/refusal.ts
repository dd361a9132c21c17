import { expect } from 'chai';
import { AppError } from '../../core/errors.ts';

/** The AppError a call was refused with (fails the test when the call succeeds or throws anything else). */
export async function refusalOf(call: Promise<unknown>): Promise<AppError> {
  try {
    await call;
  } catch (error) {
    expect(error).to.be.instanceOf(AppError);
    return error as AppError;
  }
  expect.fail('the call was expected to be refused');
}
