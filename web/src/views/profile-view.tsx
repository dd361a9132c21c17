import { AvatarEditor } from '../components/avatar-editor.tsx';
import { LocaleForm } from '../components/locale-form.tsx';
import { NotificationPreferencesForm } from '../components/notification-preferences-form.tsx';
import { ProfileDetailsForm } from '../components/profile-details-form.tsx';

/** Your profile: picture, details, time zone and language, notifications. */
export function ProfileView() {
  return (
    <div className="page">
      <h1>Profile</h1>
      <div className="card-grid">
        <section className="card" aria-labelledby="avatar-title">
          <h2 id="avatar-title">Picture</h2>
          <AvatarEditor />
        </section>
        <section className="card" aria-labelledby="details-title">
          <h2 id="details-title">Details</h2>
          <ProfileDetailsForm />
        </section>
        <section className="card" aria-labelledby="locale-title">
          <h2 id="locale-title">Time zone and language</h2>
          <LocaleForm />
        </section>
        <section className="card" aria-labelledby="notifications-title">
          <h2 id="notifications-title">Notifications</h2>
          <NotificationPreferencesForm />
        </section>
      </div>
    </div>
  );
}
