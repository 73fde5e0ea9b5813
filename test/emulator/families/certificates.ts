import type { FamilyModule } from '../core/types';

export const certificates: FamilyModule = { routes: [] };
