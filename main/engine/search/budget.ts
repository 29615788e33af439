/** A search's budget; the schema lives in the API contract so the app validates the same shape. */
import { SearchBudget } from '../../../common/contract/search';

export const Budget = SearchBudget;
export type Budget = SearchBudget;
