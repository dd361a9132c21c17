import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Db } from '../../core/db/connection.ts';
import { identity } from '../../servers/users/index.ts';

/** A passport instance with the email + password strategy (argon2id hashes, constant-time on unknown emails). */
export function createPassport(db: Db): passport.PassportStatic {
  const instance = new passport.Passport() as unknown as passport.PassportStatic;
  instance.use(
    new LocalStrategy(
      { usernameField: 'email', passwordField: 'password', session: false },
      (email, password, done) => {
        identity
          .checkPassword(db, email, password)
          .then((userId) => done(null, userId ? { id: userId } : false))
          .catch(done);
      },
    ),
  );
  return instance;
}
