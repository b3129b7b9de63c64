package v1alpha1

// Condition types and reasons are part of the API: users, kstatus (Flux,
// Argo CD) and the operator's own controllers read them. The controllers
// set and compare only these constants, never a string written elsewhere,
// so a reworded reason cannot silently change what they do.

// Condition types shared by every kind, read by kstatus.
const (
	// ConditionReady is True when the object's desired state is achieved.
	ConditionReady = "Ready"
	// ConditionReconciling is True while the operator is still working towards it.
	ConditionReconciling = "Reconciling"
	// ConditionStalled is True when progress needs a human (bad input, a rule refusing it).
	ConditionStalled = "Stalled"
)

// Condition types of a GovWebsite.
const (
	// ConditionApproved: every level of the policy's chain approved the site (S1).
	ConditionApproved = "Approved"
	// ConditionPlaced: every pod runs on a node in an allowed region (S6).
	ConditionPlaced = "Placed"
	// ConditionIsolated: front end and admin apart, NetworkPolicies in force (S7).
	ConditionIsolated = "Isolated"
	// ConditionServing: the public reaches the site (or its notice page, T5).
	ConditionServing = "Serving"
	// ConditionLaunched: the site passed its prelaunch inspection (S5).
	ConditionLaunched = "Launched"
	// ConditionCertificateReady: cert-manager issued the site's certificate.
	ConditionCertificateReady = "CertificateReady"
	// ConditionDeletionBlocked says why a deleted site is still here (T7).
	ConditionDeletionBlocked = "DeletionBlocked"
	// ConditionCompliant: the last inspection found no veto (V1–V5).
	ConditionCompliant = "Compliant"
	// ConditionRectificationRequired: two failing months in a row (T8).
	ConditionRectificationRequired = "RectificationRequired"
	// ConditionConsolidationRecommended: many failing months (T8).
	ConditionConsolidationRecommended = "ConsolidationRecommended"
	// ConditionTicketsOverdue: a rectification ticket is past its due date (T9).
	ConditionTicketsOverdue = "TicketsOverdue"
)

// Reasons shared by several kinds.
const (
	// ReasonPolicyMissing: no SiteGroupPolicy named "default" exists.
	ReasonPolicyMissing = "PolicyMissing"
	// ReasonInvalidSpec: the spec cannot be turned into objects.
	ReasonInvalidSpec = "InvalidSpec"
	// ReasonRejected: a signer rejected the request (S1, T1).
	ReasonRejected = "Rejected"
	// ReasonAwaitingApproval: a level of the chain has not signed yet (S1, T1).
	ReasonAwaitingApproval = "AwaitingApproval"
	// ReasonApproved: every level signed (S1).
	ReasonApproved = "Approved"
	// ReasonOverdue: a deadline passed (T6, T9).
	ReasonOverdue = "Overdue"
	// ReasonReadFailed: a step could not read an object it needs; retried.
	ReasonReadFailed = "ReadFailed"
	// ReasonApplyFailed: a step could not write an object; retried.
	ReasonApplyFailed = "ApplyFailed"
)

// Reasons of a GovWebsite's conditions, and of the events it emits.
const (
	// ReasonOutsideAllowedRegions: a pod runs on a node outside the allowed regions (S6).
	ReasonOutsideAllowedRegions = "OutsideAllowedRegions"
	// ReasonUnschedulable: a pod can be placed on no allowed node (S6).
	ReasonUnschedulable = "Unschedulable"
	// ReasonNoPodsScheduled: no pod of the site is scheduled yet.
	ReasonNoPodsScheduled = "NoPodsScheduled"
	// ReasonDomestic: every pod is on a domestic node (S6).
	ReasonDomestic = "Domestic"
	// ReasonNetworkPolicyNotInForce: a NetworkPolicy is missing or altered (S7).
	ReasonNetworkPolicyNotInForce = "NetworkPolicyNotInForce"
	// ReasonSharedHost: front end and admin share a node (S7).
	ReasonSharedHost = "SharedHost"
	// ReasonSharedHostAllowed: they share a node, and the policy allows it.
	ReasonSharedHostAllowed = "SharedHostAllowed"
	// ReasonSeparated: front end and admin on different nodes (S7).
	ReasonSeparated = "Separated"
	// ReasonFrontendMissing: the front end Deployment does not exist yet.
	ReasonFrontendMissing = "FrontendMissing"
	// ReasonFrontendUnavailable: the front end has fewer replicas available than wanted.
	ReasonFrontendUnavailable = "FrontendUnavailable"
	// ReasonNotRouted: the front end runs but is not routed until approved (S1).
	ReasonNotRouted = "NotRouted"
	// ReasonNotLaunched: the front end runs but is not routed until its
	// prelaunch inspection passes (S5); the schedule controller starts that
	// inspection when it reads this reason.
	ReasonNotLaunched = "NotLaunched"
	// ReasonServiceOnly: served through its Service; no Gateway or ingress class.
	ReasonServiceOnly = "ServiceOnly"
	// ReasonServing: routed and available.
	ReasonServing = "Serving"
	// ReasonAdminMissing, ReasonAdminUnavailable, ReasonAdminAvailable: the back office.
	ReasonAdminMissing     = "AdminMissing"
	ReasonAdminUnavailable = "AdminUnavailable"
	ReasonAdminAvailable   = "AdminAvailable"
	// ReasonNoticeStarting, ReasonNoticeServing: a takedown is in force (T5).
	ReasonNoticeStarting = "NoticeStarting"
	ReasonNoticeServing  = "NoticeServing"
	// ReasonTakenDown, ReasonTakingDown: Ready while a takedown is in force (T5).
	ReasonTakenDown  = "TakenDown"
	ReasonTakingDown = "TakingDown"
	// ReasonContentReady, ReasonImporting, ReasonImportFailed: the migrated content.
	ReasonContentReady = "ContentReady"
	ReasonImporting    = "Importing"
	ReasonImportFailed = "ImportFailed"
	// ReasonProvisioning: the site's objects exist but are not all available.
	ReasonProvisioning = "Provisioning"
	// ReasonAwaitingPrelaunch, ReasonInspecting, ReasonLaunched: S5's launch.
	ReasonAwaitingPrelaunch = "AwaitingPrelaunch"
	ReasonInspecting        = "Inspecting"
	ReasonLaunched          = "Launched"
	// ReasonPrelaunchFailed: the prelaunch inspection failed or could not
	// run; the site is Stalled on it (S5).
	ReasonPrelaunchFailed = "PrelaunchFailed"
	// ReasonPrelaunchNotOperators: a run someone else made holds the
	// prelaunch run's name; it does not count (S5).
	ReasonPrelaunchNotOperators = "PrelaunchNotOperators"
	// ReasonIdentityChangePending: a change of identity waits for signatures (S8).
	ReasonIdentityChangePending = "IdentityChangePending"
	// ReasonIdentityChanged: an approved change of identity took effect (S8).
	ReasonIdentityChanged = "IdentityChanged"
	// ReasonCertificateReady, ReasonCertificateNotReady: cert-manager's Certificate.
	ReasonCertificateReady    = "CertificateReady"
	ReasonCertificateNotReady = "CertificateNotReady"
	// ReasonNotClosedByProcedure: a site deleted without a closed permanent takedown (T7).
	ReasonNotClosedByProcedure = "NotClosedByProcedure"
	// ReasonDeletionBlocked: Stalled while the deletion waits for T7.
	ReasonDeletionBlocked = "DeletionBlocked"
	// ReasonTicketOpened: an inspection opened a rectification ticket (T9).
	ReasonTicketOpened = "TicketOpened"
	// ReasonRectificationRequested, ReasonRectificationNotRequested: T8's takedown.
	ReasonRectificationRequested = "RectificationRequested"
	// ReasonConsolidationRequested: T8's permanent closure request, opened in Pending.
	ReasonConsolidationRequested    = "ConsolidationRequested"
	ReasonRectificationNotRequested = "RectificationNotRequested"
	// ReasonAvailabilityWarning: the 7-day probe window nears V1's threshold.
	ReasonAvailabilityWarning = "AvailabilityWarning"
	// ReasonInvalidSchedule, ReasonMissedSchedule: the site's inspection schedule.
	ReasonInvalidSchedule = "InvalidSchedule"
	ReasonMissedSchedule  = "MissedSchedule"
	// Reasons of the record's conditions (V1–V5, T8, T9).
	ReasonCompliant                 = "Compliant"
	ReasonNotCompliant              = "NotCompliant"
	ReasonNotInspected              = "NotInspected"
	ReasonFewerThanTwoFailingMonths = "FewerThanTwoFailingMonths"
	ReasonConsecutiveFailingMonths  = "ConsecutiveFailingMonths"
	ReasonFewFailingMonths          = "FewFailingMonths"
	ReasonManyFailingMonths         = "ManyFailingMonths"
	ReasonNoneOverdue               = "NoneOverdue"
)

// Reasons of an InspectionRun's conditions and events.
const (
	ReasonInspected = "Inspected"
	ReasonJobFailed = "JobFailed"
	// ReasonHomepageUnreachable: the inspector ran but the site's homepage
	// did not open, so it judged nothing. No verdict, no V1 veto: V1 is the
	// 7-day availability window's (issue 16).
	ReasonHomepageUnreachable = "HomepageUnreachable"
	ReasonSiteNotFound        = "SiteNotFound"
	ReasonSiteTakenDown       = "SiteTakenDown"
	ReasonWaitingForOtherRun  = "WaitingForOtherRun"
	// ReasonSuperseded: a scheduled run that never started, replaced by a
	// later scheduled run of its purpose.
	ReasonSuperseded             = "Superseded"
	ReasonScoringProfileNotFound = "ScoringProfileNotFound"
	// ReasonExternalResult: an external check's result, recorded as entered (T8).
	ReasonExternalResult = "ExternalResult"
)

// Reasons of a TakedownRequest's conditions and events (T1–T7).
const (
	ReasonCancelled              = "Cancelled"
	ReasonWaitingForStart        = "WaitingForStart"
	ReasonNoticeShown            = "NoticeShown"
	ReasonReturnTooEarly         = "ReturnTooEarly"
	ReasonRestored               = "Restored"
	ReasonArchiving              = "Archiving"
	ReasonArchiveFailed          = "ArchiveFailed"
	ReasonDeregistered           = "Deregistered"
	ReasonDeregistrationOverdue  = "DeregistrationOverdue"
	ReasonAwaitingDeregistration = "AwaitingDeregistration"
)

// Reasons of a SiteGroupPolicy's conditions.
const (
	// ReasonInForce: the policy is valid and in force.
	ReasonInForce = "InForce"
)

// Reasons of the events the operator emits on the platform's Gateway.
const (
	// ReasonCertificatesListed: a listener's certificateRefs now hold the
	// certificates of the sites it routes.
	ReasonCertificatesListed = "CertificatesListed"
	// ReasonListenerFull: a listener holds Gateway API's maximum of
	// certificates; the sites beyond it are not served over HTTPS there.
	ReasonListenerFull = "ListenerFull"
)
