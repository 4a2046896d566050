"""The rules for events, one module per family; views, the admin, commands, jobs and tests call these.

    mail      event mail: queued as ids in the write's transaction, rendered by its job (events.tasks)
    rsvps     answers, the waitlist and the event row's lock that every answer takes
    follows   topics and cities members follow, their mail at once and weekly
    events    saving, publishing and cancelling an event, its cover
    hosting   proposals and review, co-hosts, messages to attendees, the door, reports
    sessions  an unconference's board: sessions proposed and wanted, rooms, slots, the schedule, its mail
    exports   a member's data: export, deletion, the private calendar feed's key

Each imports only those above it in this list, never the other way round, and none imports
events.tasks: a job is queued by its task's name (otg.jobs.queue.enqueue).
"""
