package main

import (
	"testing"

	enumspb "go.temporal.io/api/enums/v1"
	historypb "go.temporal.io/api/history/v1"
	updatepb "go.temporal.io/api/update/v1"
)

// A history of one update's workflow task that records a marker, cancels a
// timer and schedules an activity (whose start and end it is charged
// with), then a timer's own workflow task: the update costs the first
// group's 10 events, the second group is overhead, and the breakdown names
// each type.
func TestEventCostsAttributesAnUpdatesGroup(t *testing.T) {
	id := int64(0)
	ev := func(et enumspb.EventType, attrs func(*historypb.HistoryEvent)) *historypb.HistoryEvent {
		id++
		e := &historypb.HistoryEvent{EventId: id, EventType: et}
		if attrs != nil {
			attrs(e)
		}
		return e
	}
	upd := func(et enumspb.EventType) *historypb.HistoryEvent {
		return ev(et, func(e *historypb.HistoryEvent) {
			meta := &updatepb.Meta{UpdateId: "u1"}
			if et == enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED {
				e.Attributes = &historypb.HistoryEvent_WorkflowExecutionUpdateAcceptedEventAttributes{WorkflowExecutionUpdateAcceptedEventAttributes: &historypb.WorkflowExecutionUpdateAcceptedEventAttributes{
					AcceptedRequest: &updatepb.Request{Meta: meta, Input: &updatepb.Input{Name: "submit_report"}},
				}}
				return
			}
			e.Attributes = &historypb.HistoryEvent_WorkflowExecutionUpdateCompletedEventAttributes{WorkflowExecutionUpdateCompletedEventAttributes: &historypb.WorkflowExecutionUpdateCompletedEventAttributes{Meta: meta}}
		})
	}
	h := []*historypb.HistoryEvent{
		ev(enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, nil),
		ev(enumspb.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, nil), // 2: the update's group
		ev(enumspb.EVENT_TYPE_WORKFLOW_TASK_STARTED, nil),
		ev(enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, nil),
		upd(enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED),
		ev(enumspb.EVENT_TYPE_MARKER_RECORDED, nil),
		ev(enumspb.EVENT_TYPE_TIMER_CANCELED, nil),
		ev(enumspb.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED, nil), // 8
		upd(enumspb.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED),
		ev(enumspb.EVENT_TYPE_ACTIVITY_TASK_STARTED, func(e *historypb.HistoryEvent) {
			e.Attributes = &historypb.HistoryEvent_ActivityTaskStartedEventAttributes{ActivityTaskStartedEventAttributes: &historypb.ActivityTaskStartedEventAttributes{ScheduledEventId: 8}}
		}),
		ev(enumspb.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, func(e *historypb.HistoryEvent) {
			e.Attributes = &historypb.HistoryEvent_ActivityTaskCompletedEventAttributes{ActivityTaskCompletedEventAttributes: &historypb.ActivityTaskCompletedEventAttributes{ScheduledEventId: 8}}
		}),
		ev(enumspb.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, nil), // the activity's own workflow task: overhead
		ev(enumspb.EVENT_TYPE_WORKFLOW_TASK_STARTED, nil),
		ev(enumspb.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, nil),
	}
	e := newEventCosts()
	e.add(h)
	if got := e.per("submit_report"); got != 10 {
		t.Errorf("events per report = %v, want 10", got)
	}
	if e.overhead != 4 || e.total != 14 {
		t.Errorf("overhead %d of %d, want 4 of 14", e.overhead, e.total)
	}
	want := "ActivityTaskCompleted 1.00, ActivityTaskScheduled 1.00, ActivityTaskStarted 1.00, MarkerRecorded 1.00, TimerCanceled 1.00, WorkflowExecutionUpdateAccepted 1.00, WorkflowExecutionUpdateCompleted 1.00, WorkflowTaskCompleted 1.00, WorkflowTaskScheduled 1.00, WorkflowTaskStarted 1.00"
	if got := e.breakdown("submit_report"); got != want {
		t.Errorf("breakdown:\n got %s\nwant %s", got, want)
	}
}
