#pragma once
// Internal to planner/desired_record*.cc: the record's content_json, which
// holds the project folder (spec hashes name paths relative to it) and the
// local content digests the compose file resolved to when written.

#include <string>
#include <string_view>

#include "base/result.h"
#include "planner/desired_state.h"

namespace baton::planner::record_detail {

struct RecordedContent {
  std::string project_dir;  // compose::Project::working_dir when written
  ContentDigests digests;
};

// Canonical JSON (sorted keys): {"project_dir": ..., "services": {...}}.
std::string ContentJson(const RecordedContent& content);
// kInvalid at `where` ("desired state of shop") naming the key path.
Result<RecordedContent> ParseContentJson(std::string_view json, const std::string& where);

}  // namespace baton::planner::record_detail
