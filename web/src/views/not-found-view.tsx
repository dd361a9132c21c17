import { Link } from '../components/link.tsx';

export function NotFoundView() {
  return (
    <section className="page">
      <h1>Nothing here</h1>
      <p>
        This address is not part of the console. <Link to="/chat">Go to the chat</Link>.
      </p>
    </section>
  );
}
