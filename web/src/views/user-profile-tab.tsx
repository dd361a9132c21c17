import type { UserView } from '../api/types.ts';
import { RecordCard } from '../components/record-card.tsx';
import type { Row } from '../components/result-shape.ts';

const FIELDS = [
  'email',
  'jobTitle',
  'phone',
  'role',
  'tenant',
  'status',
  'features',
  'timezone',
  'language',
  'lastLoginAt',
  'createdAt',
  'id',
];

export function UserProfileTab({ user }: { user: UserView }) {
  return <RecordCard record={user as unknown as Row} fields={FIELDS} header={false} />;
}
