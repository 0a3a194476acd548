package api

// The Server's handlers are grouped by area, each group a small type over
// the shared deps; the Server is the composition root that builds them
// (build) and routes requests to them (apiRoutes, webRoutes and the
// routes of each area).

// taskRules are the rules of a task shared by the inbox, the task forms
// and the administration: who may see and act on a task, its detail,
// claims, and the completion through the workflow's update.
type taskRules struct{ *deps }

// sessionHandlers sign officers in and out (API and web).
type sessionHandlers struct{ *deps }

// inboxHandlers list an officer's tasks and serve a task's detail, claim
// and files.
type inboxHandlers struct{ *taskRules }

// taskForms are the task pages and the task API's drafts, attachments,
// previews and completion.
type taskForms struct{ *taskRules }

// cycleAdmin starts cycles and award rounds and closes their proposals
// and nominations (API and the administration pages).
type cycleAdmin struct{ *taskRules }

// accountAdmin manages officers' accounts and one's own password.
type accountAdmin struct{ *deps }

// delegationAdmin manages delegations of a role.
type delegationAdmin struct{ *deps }

// documentHandlers serve issued decisions, drafts, proposal templates,
// the documents inbox and the archive with its verification.
type documentHandlers struct{ *deps }

// cycleViews read the registry, a cycle's state and selection, and the
// province's indicators and standings.
type cycleViews struct{ *deps }

// notificationHandlers serve notifications and officers' notification
// settings.
type notificationHandlers struct{ *deps }

// letterHandlers issue and serve reminder letters.
type letterHandlers struct{ *deps }

// signingHandlers serve the head's own signature: the digest and the
// prepared PDF, the signed CMS back (API and the signing page), and the
// remote-signing service's requests (signing_page.go).
type signingHandlers struct {
	*taskRules
	// remotes are the remote-signing requests in flight: the store's
	// when it keeps them (every server process sees them), else this
	// process's memory.
	remotes RemoteSignatures
}

// build makes the groups of handlers over the Server's deps.
func (s *Server) build() {
	d := &deps{cfg: s, throttle: &s.throttle, provinces: &s.provinces}
	rules := &taskRules{d}
	s.deps = d
	s.sessions = &sessionHandlers{d}
	s.inbox = &inboxHandlers{rules}
	s.forms = &taskForms{rules}
	s.admin = &cycleAdmin{rules}
	s.accounts = &accountAdmin{d}
	s.delegations = &delegationAdmin{d}
	s.documents = &documentHandlers{d}
	s.views = &cycleViews{d}
	s.notifications = &notificationHandlers{d}
	s.letters = &letterHandlers{d}
	s.signing = &signingHandlers{taskRules: rules, remotes: &memoryRemotes{}}
	if rs, ok := s.Store.(RemoteSignatures); ok {
		s.signing.remotes = rs
	}
}
