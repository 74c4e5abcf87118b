// Every /api operation, in the order the OpenAPI document lists them. A route that is not here
// fails tests/unit/api-catalogue.test.ts.
import type { Operation } from '@/lib/api/operation';
import { addItemOperation, attachChecklistOperation, listChecklistsOperation, setItemStateOperation } from '@/lib/checklists/operations';
import {
  acknowledgeIncidentOperation,
  addSmeOperation,
  assignRoleOperation,
  correctKeyTimeOperation,
  declareIncidentOperation,
  getIncidentOperation,
  listIncidentsOperation,
  listSeveritiesOperation,
  removeSmeOperation,
  unassignRoleOperation,
  updateIncidentOperation,
} from '@/lib/incidents/operations';
import { dashboardStreamOperation, incidentStreamOperation } from '@/lib/live/operations';
import { createRunbookOperation, getRunbookOperation, importRunbooksOperation, listRunbooksOperation, updateRunbookOperation } from '@/lib/runbooks/operations';
import {
  createActionOperation,
  fireRemediationOperation,
  getActionOperation,
  getDeliveryOperation,
  listActionsOperation,
  previewActionOperation,
  previewStoredActionOperation,
  resendDeliveryOperation,
  rotateSecretOperation,
  setActionEnabledOperation,
  updateActionOperation,
} from '@/lib/remediation/operations';
import { healthOperation, openapiOperation } from '@/lib/system/operations';
import { editEventOperation, eventRevisionsOperation, listTimelineOperation, postNoteOperation } from '@/lib/timeline/operations';
import { timelineSearchOperation } from '@/lib/timeline/search-operation';
import { createTokenOperation, listTokensOperation, revokeTokenOperation } from '@/lib/tokens/operations';
import { createUserOperation, getMe, listUsersOperation, updateUserOperation } from '@/lib/users/operations';

export const operations: Operation[] = [
  healthOperation,
  openapiOperation,
  getMe,
  listUsersOperation,
  createUserOperation,
  updateUserOperation,
  listTokensOperation,
  createTokenOperation,
  revokeTokenOperation,
  listSeveritiesOperation,
  declareIncidentOperation,
  listIncidentsOperation,
  getIncidentOperation,
  updateIncidentOperation,
  acknowledgeIncidentOperation,
  correctKeyTimeOperation,
  assignRoleOperation,
  unassignRoleOperation,
  addSmeOperation,
  removeSmeOperation,
  listTimelineOperation,
  postNoteOperation,
  editEventOperation,
  eventRevisionsOperation,
  timelineSearchOperation,
  incidentStreamOperation,
  dashboardStreamOperation,
  listRunbooksOperation,
  createRunbookOperation,
  importRunbooksOperation,
  listActionsOperation,
  createActionOperation,
  getActionOperation,
  updateActionOperation,
  setActionEnabledOperation,
  previewActionOperation,
  previewStoredActionOperation,
  rotateSecretOperation,
  fireRemediationOperation,
  getDeliveryOperation,
  resendDeliveryOperation,
  getRunbookOperation,
  updateRunbookOperation,
  listChecklistsOperation,
  attachChecklistOperation,
  addItemOperation,
  setItemStateOperation,
];
