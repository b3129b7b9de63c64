// Package faults names the points where the end-to-end fault suite kills
// the manager (issue 17): between a step's writes and the status write
// that records them. A manager built with the faultinject tag and started
// with SITEGROUP_CRASH_AT=<point> sends itself SIGKILL the first time it
// reaches that point; the suite then restarts it and checks that it
// converges with nothing duplicated, orphaned, lost or exposed. Without
// the tag (every shipped binary) Point compiles to nothing.
package faults

// The named points, in the order a site's life reaches them.
const (
	// ContentImportStarted: the content import Job was just created; the
	// site's status does not say so yet.
	ContentImportStarted = "content-import-started"
	// PrelaunchJobCreated: the prelaunch InspectionRun's Job was just
	// created; the run's status does not name it yet (S5).
	PrelaunchJobCreated = "prelaunch-job-created"
	// TakedownServiceSwitched: the takedown's children (the public Service
	// selecting the notice pods) were applied; the site's status does not
	// say it is taken down yet (T5).
	TakedownServiceSwitched = "takedown-service-switched"
	// ArchiveWritten: the archive writer reported its digest; the
	// takedown's status does not hold it yet, no read-back started (T7).
	ArchiveWritten = "archive-written"
	// ArchiveReadBack: a second pod read the archive back; the takedown's
	// status does not say it is verified yet (T7).
	ArchiveReadBack = "archive-read-back"
)
