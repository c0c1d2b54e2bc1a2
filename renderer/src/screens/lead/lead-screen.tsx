// The team lead's screens, chosen by the address under #/lead.
import type { LeadPlace } from '../../state/route.ts';
import { BatchToolsScreen } from './batch-tools-screen.tsx';
import { DashboardScreen } from './dashboard-screen.tsx';
import { NewProjectScreen } from './new-project-screen.tsx';
import { ProjectsScreen } from './projects-screen.tsx';
import { RegionScreen } from './region-screen.tsx';

export function LeadScreen({ place }: { readonly place: LeadPlace }) {
  switch (place.view) {
    case 'projects':
      return <ProjectsScreen />;
    case 'new-project':
      return <NewProjectScreen />;
    case 'dashboard':
      return <DashboardScreen key={place.project} name={place.project} />;
    case 'batches':
      return <BatchToolsScreen key={place.project} name={place.project} />;
    case 'region':
      return <RegionScreen key={`${place.project}/${place.region}`} project={place.project} region={place.region} annotator={place.annotator} batch={place.batch} />;
  }
}
