// The app shell: sidebar, the current screen, status bar.
import { useEffect } from 'react';
import { BatchScreen } from './screens/batch/batch-screen.tsx';
import { LeadScreen } from './screens/lead/lead-screen.tsx';
import { MyBatchesScreen } from './screens/my-batches/my-batches-screen.tsx';
import { SettingsScreen } from './screens/settings/settings-screen.tsx';
import { Sidebar } from './shell/sidebar.tsx';
import { StatusBar } from './shell/status-bar.tsx';
import { chooseLandingRoute, useRoute } from './state/route.ts';
import { isConfigured, loadWorkspace, useWorkspace } from './state/workspace.ts';

function CurrentScreen() {
  const route = useRoute((s) => s.route);
  const batchId = useRoute((s) => s.batchId);
  const lead = useRoute((s) => s.lead);
  const loaded = useWorkspace((s) => s.view !== null || s.loadError !== null);
  if (!loaded || route === null) return <div className="screen-loading" aria-busy="true" />;
  if (route === 'settings') return <SettingsScreen />;
  if (route === 'batch' && batchId) return <BatchScreen key={batchId} id={batchId} />;
  if (route === 'lead' && lead) return <LeadScreen place={lead} />;
  return <MyBatchesScreen />;
}

export function App() {
  useEffect(() => {
    void loadWorkspace().then(() => chooseLandingRoute(isConfigured(useWorkspace.getState().view)));
  }, []);
  return (
    <div className="app">
      <Sidebar />
      <main className="content" id="main">
        <CurrentScreen />
      </main>
      <StatusBar />
    </div>
  );
}
