import type { FamilyModule } from '../core/types';

export const storage: FamilyModule = { routes: [] };
