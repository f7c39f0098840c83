/** The 出生一件事 documents the desk pages send, and the shapes they read. */

export const CASE_FIELDS = `id status revision registered overdue dueAt submittedAt closedAt regionCode registeringParent cancelReason items
  child { name citizenId birthDate sex }
  correction { step reason field message }
  steps { code name state department command attempts identifier replyReason replyField replyMessage lastError overdue deadlineAt readyAt dispatchedAt finishedAt
    lineage { department connector sourceRecordId sourceUpdatedAt fetchedAt via } }
  history { seq type step actor at revision detail }`;

export const LIST_FIELDS = `id status overdue dueAt submittedAt regionCode child { name } steps { code state }`;

export interface Step {
  code: string;
  name: string;
  state: string;
  department: string;
  command: string;
  attempts: number;
  identifier: string | null;
  replyReason: string | null;
  replyField: string | null;
  replyMessage: string | null;
  lastError: string | null;
  overdue: boolean;
  deadlineAt: string | null;
  readyAt: string | null;
  dispatchedAt: string | null;
  finishedAt: string | null;
  lineage: {
    department: string;
    connector: string;
    sourceRecordId: string;
    sourceUpdatedAt: string | null;
    fetchedAt: string;
    via: string;
  } | null;
}

export interface BirthCase {
  id: string;
  status: string;
  revision: number;
  registered: boolean;
  overdue: boolean;
  dueAt: string;
  submittedAt: string;
  closedAt: string | null;
  regionCode: string;
  registeringParent: string;
  cancelReason: string | null;
  items: string[];
  child: { name: string; citizenId: string | null; birthDate: string; sex: string };
  correction: { step: string | null; reason: string | null; field: string | null; message: string | null } | null;
  steps: Step[];
  history: Array<{
    seq: string;
    type: string;
    step: string | null;
    actor: string;
    at: string;
    revision: number;
    detail: string | null;
  }>;
}

export interface ListedCase {
  id: string;
  status: string;
  overdue: boolean;
  dueAt: string;
  submittedAt: string;
  regionCode: string;
  child: { name: string };
  steps: Array<{ code: string; state: string }>;
}

export const STATUS_NAMES: Record<string, [string, string]> = {
  SUBMITTED: ['已受理', 'Submitted'],
  IN_PROGRESS: ['办理中', 'In progress'],
  NEEDS_CORRECTION: ['待补正', 'Needs correction'],
  COMPLETED: ['已办结', 'Completed'],
  CANCELLED: ['已撤回', 'Cancelled'],
  REJECTED: ['不予受理', 'Rejected'],
};

export const STEP_STATES: Record<string, [string, string]> = {
  BLOCKED: ['等待前置环节', 'Waiting for earlier steps'],
  READY: ['待发送', 'Ready'],
  DISPATCHED: ['已发送', 'Sent'],
  AWAITING_REPLY: ['等待回复', 'Awaiting reply'],
  SUCCEEDED: ['已完成', 'Done'],
  REJECTED: ['被退回', 'Rejected'],
  FAILED: ['失败', 'Failed'],
  SKIPPED: ['未选择', 'Not chosen'],
  CANCELLED: ['已撤回', 'Cancelled'],
};

export const STEP_NAMES: Record<string, [string, string]> = {
  BIRTH_CERTIFICATE: ['出生医学证明', 'Birth medical certificate'],
  BIRTH_REGISTRATION: ['出生登记', 'Birth registration'],
  VACCINATION_ARCHIVE: ['预防接种档案', 'Vaccination archive'],
  MEDICAL_INSURANCE: ['医保参保', 'Medical insurance enrolment'],
  SOCIAL_SECURITY_CARD: ['社保卡申领', 'Social security card'],
};

export const EVENT_NAMES: Record<string, [string, string]> = {
  SUBMITTED: ['提交', 'Submitted'],
  PRE_REVIEW_PASSED: ['预审通过', 'Pre-review passed'],
  STEP_READY: ['环节就绪', 'Step ready'],
  STEP_DISPATCHED: ['已发送部门', 'Sent to the department'],
  STEP_RETRY: ['重试', 'Retry'],
  STEP_OVERDUE: ['环节超时', 'Step overdue'],
  STEP_ACCEPTED: ['部门已受理', 'Accepted by the department'],
  CALLBACK_RECEIVED: ['收到部门回调', 'Department callback'],
  STEP_SUCCEEDED: ['环节完成', 'Step done'],
  STEP_REJECTED: ['部门退回', 'Rejected by the department'],
  STEP_FAILED: ['环节失败', 'Step failed'],
  NEEDS_CORRECTION: ['待补正', 'Needs correction'],
  CORRECTED: ['已补正', 'Corrected'],
  CANCELLED: ['已撤回', 'Cancelled'],
  REJECTED: ['不予受理', 'Rejected'],
  COMPLETED: ['办结', 'Completed'],
};
