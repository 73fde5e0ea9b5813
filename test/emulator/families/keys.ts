import type { FamilyModule } from '../core/types';

export const keys: FamilyModule = { routes: [] };
