import { Link } from 'react-router';
import { EmptyState } from '../components/states';

export function NotFoundPage() {
  return (
    <EmptyState title="Page not found" icon="?">
      <Link to="/" className="text-indigo-600 underline">
        Back to Generate Story
      </Link>
    </EmptyState>
  );
}
