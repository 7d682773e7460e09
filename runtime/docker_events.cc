// DockerClient's event stream.

#include "runtime/docker_events.h"

#include <chrono>
#include <optional>
#include <utility>

#include "runtime/docker_client.h"
#include "runtime/docker_json.h"

namespace baton::runtime {
namespace {

using namespace json_read;
using nlohmann::json;

DockerEvent DecodeEvent(const json& j) {
  DockerEvent e;
  e.type = String(j, "Type");
  e.action = String(j, "Action");
  const json& actor = Object(j, "Actor");
  e.actor_id = String(actor, "ID");
  e.attributes = StringMap(actor, "Attributes");
  e.scope = String(j, "scope");
  e.time_nano = Int(j, "timeNano");
  e.raw = j;
  return e;
}

}  // namespace

Status DockerClient::StreamEvents(const EventsOptions& options,
                                  const std::function<bool(const DockerEvent&)>& on_event,
                                  std::stop_token stop) {
  QueryString query;
  if (!options.since.empty()) query.Add("since", options.since);
  if (!options.until.empty()) query.Add("until", options.until);
  query.AddFilters(options.filters);
  HttpRequest request = Request("GET", "/events" + query.str());
  request.timeout = std::chrono::milliseconds(0);
  request.stop = std::move(stop);
  std::optional<Error> malformed;
  bool ended = false;
  Status s = CallJsonStream(
      request,
      [&](const json& document) {
        Result<DockerEvent> event = DecodeDocument<DockerEvent>(document, DecodeEvent);
        if (event.ok()) return on_event(*event);
        malformed = event.error();
        return false;
      },
      &ended);
  if (!s.ok()) return s;
  if (malformed) return AtCall(request, *malformed);
  // Without `until` the engine never ends the stream on purpose.
  if (ended && options.until.empty())
    return Error::Unreachable(http_->where(), "docker ended the event stream");
  return Status::Ok();
}

}  // namespace baton::runtime
