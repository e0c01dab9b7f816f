import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { Layout } from './components/Layout';
import { LoadingState } from './components/states';
import { ToastProvider } from './components/ToastProvider';
import { AuditPage } from './pages/AuditPage';
import { BatchDetailPage } from './pages/BatchDetailPage';
import { BatchesPage } from './pages/BatchesPage';
import { ChatPage } from './pages/ChatPage';
import { ContextPage } from './pages/ContextPage';
import { GeneratePage } from './pages/GeneratePage';
import { HistoryPage } from './pages/HistoryPage';
import { LogsPage } from './pages/LogsPage';
import { NotFoundPage } from './pages/NotFoundPage';
import { RunDetailPage } from './pages/RunDetailPage';
import { RunsPage } from './pages/RunsPage';
import { SchedulesPage } from './pages/SchedulesPage';
import { retryDelay, shouldRetry } from './lib/polling';

// The charts library is the bulk of the bundle: load it with the Cost page only.
const CostPage = lazy(() => import('./pages/CostPage').then((m) => ({ default: m.CostPage })));

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      retry: shouldRetry,
      retryDelay,
      refetchOnWindowFocus: false,
    },
  },
});

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <ToastProvider>
        <BrowserRouter basename={import.meta.env.BASE_URL.replace(/\/$/, '')}>
          <Routes>
            <Route element={<Layout />}>
              <Route index element={<GeneratePage />} />
              <Route path="chat" element={<ChatPage />} />
              <Route path="history" element={<HistoryPage />} />
              <Route
                path="cost"
                element={
                  <Suspense fallback={<LoadingState label="Loading the cost page…" />}>
                    <CostPage />
                  </Suspense>
                }
              />
              <Route path="context" element={<ContextPage />} />
              <Route path="runs" element={<RunsPage />} />
              <Route path="runs/:workflowId" element={<RunDetailPage />} />
              <Route path="batches" element={<BatchesPage />} />
              <Route path="batches/:batchId" element={<BatchDetailPage />} />
              <Route path="schedules" element={<SchedulesPage />} />
              <Route path="audit" element={<AuditPage />} />
              <Route path="logs" element={<LogsPage />} />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </ToastProvider>
    </QueryClientProvider>
  );
}
