#pragma once
// baton events: streams what the watcher did (issue 6)

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "cli/command.h"
#include "cli/host_options.h"
#include "cli/project_options.h"

namespace baton::cli {

// Where the last printed line was, so that a rewritten ring (lines dropped
// at its front, new ones at its end) prints only what is new.
struct EventCursor {
  std::string last_line;
  std::string last_time;               // RFC 3339 of last_line
  std::set<std::string> at_last_time;  // every line printed with last_time
};

// The lines of `jsonl` (the watcher's ring of JSON lines) after the cursor,
// which moves past them. When the last printed line is no longer in the
// ring (it rolled over, or a new watcher started its own): the lines later
// than its time, and those of that same time not printed yet.
std::vector<std::string> TakeNewLines(const std::string& jsonl, EventCursor& cursor);

void AddEventsCommand(CLI::App& app, std::shared_ptr<const ProjectOptions> project,
                     std::shared_ptr<const HostOptions> hosts, Runner& run);

}  // namespace baton::cli
