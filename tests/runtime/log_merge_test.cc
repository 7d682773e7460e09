#include "runtime/log_merge.h"

#include <catch2/catch.hpp>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>

#include "docker_server_fake.h"
#include "runtime/host_pool.h"

namespace baton::runtime {
namespace {

using nlohmann::json;
using testing::FakeDockerServer;
using testing::FakeResponse;
using testing::Frame;
using testing::JsonResponse;
using std::chrono::system_clock;

// --- the pure parts

std::vector<std::string> Split(LogLineSplitter& splitter, std::vector<std::string> pieces,
                               bool finish) {
  std::vector<std::string> lines;
  auto sink = [&](std::string_view line) { lines.emplace_back(line); };
  for (const std::string& piece : pieces) splitter.Feed(piece, sink);
  if (finish) splitter.Finish(sink);
  return lines;
}

TEST_CASE("log lines: pieces are joined into whole lines", "[runtime][logs]") {
  LogLineSplitter splitter;
  CHECK(Split(splitter, {"ab", "c\nde", "f\n\n"}, false) ==
        std::vector<std::string>{"abc", "def", ""});
}

TEST_CASE("log lines: a last line without its newline comes at the finish", "[runtime][logs]") {
  LogLineSplitter splitter;
  CHECK(Split(splitter, {"one\ntw", "o"}, false) == std::vector<std::string>{"one"});
  CHECK(Split(splitter, {}, true) == std::vector<std::string>{"two"});
}

TEST_CASE("log lines: an endless line is passed on in bounded pieces", "[runtime][logs]") {
  LogLineSplitter splitter;
  std::string endless(LogLineSplitter::kMaxLineBytes + 10, 'x');
  std::vector<std::string> lines = Split(splitter, {endless, "\n"}, false);
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].size() == LogLineSplitter::kMaxLineBytes);
  CHECK(lines[1] == std::string(10, 'x'));
}

TEST_CASE("log lines: the engine's timestamp is split off the text", "[runtime][logs]") {
  TimedLine line = SplitTimestamp("2024-05-01T12:00:00.123456789Z hello world");
  CHECK(line.timestamp == "2024-05-01T12:00:00.123456789Z");
  CHECK(line.text == "hello world");
  CHECK(line.order_key == "2024-05-01T12:00:00.123456789");
}

TEST_CASE("log lines: stamps with fewer fraction digits still sort in time order",
          "[runtime][logs]") {
  CHECK(SplitTimestamp("2024-05-01T12:00:00.5Z a").order_key <
        SplitTimestamp("2024-05-01T12:00:00.60Z b").order_key);
  CHECK(SplitTimestamp("2024-05-01T12:00:00Z a").order_key <
        SplitTimestamp("2024-05-01T12:00:00.000000001Z b").order_key);
}

TEST_CASE("log lines: a line without a timestamp is all text", "[runtime][logs]") {
  TimedLine line = SplitTimestamp("2024 was a year");
  CHECK(line.order_key.empty());
  CHECK(line.timestamp.empty());
  CHECK(line.text == "2024 was a year");
}

const LogSource kWeb1{"lab1", "c1", "web", 1};
const LogSource kWeb12{"lab2", "c2", "web", 12};
const LogSource kDb1{"lab3", "c3", "db", 1};

TEST_CASE("log format: prefixes are padded to the widest label", "[runtime][logs]") {
  LogFormatter formatter(LogView{});
  formatter.Add(kWeb1);
  formatter.Add(kWeb12);
  TimedLine line = SplitTimestamp("2024-05-01T12:00:00.000000000Z up");
  CHECK(formatter.Format(kWeb1, line) == "web-1@lab1  | up\n");
  CHECK(formatter.Format(kWeb12, line) == "web-12@lab2 | up\n");
}

TEST_CASE("log format: each service keeps one colour for all its replicas", "[runtime][logs]") {
  LogFormatter formatter(LogView{.prefix = true, .color = true, .show_timestamps = false});
  formatter.Add(kWeb1);
  formatter.Add(kDb1);
  formatter.Add(kWeb12);
  TimedLine line = SplitTimestamp("x");
  CHECK(formatter.Format(kWeb1, line) == "\033[36mweb-1@lab1  |\033[0m x\n");
  CHECK(formatter.Format(kWeb12, line) == "\033[36mweb-12@lab2 |\033[0m x\n");
  CHECK(formatter.Format(kDb1, line) == "\033[33mdb-1@lab3   |\033[0m x\n");
}

TEST_CASE("log format: timestamps are shown only when asked", "[runtime][logs]") {
  TimedLine line = SplitTimestamp("2024-05-01T12:00:00.000000000Z up");
  LogFormatter bare(LogView{.prefix = false, .color = false, .show_timestamps = false});
  LogFormatter stamped(LogView{.prefix = false, .color = false, .show_timestamps = true});
  CHECK(bare.Format(kWeb1, line) == "up\n");
  CHECK(stamped.Format(kWeb1, line) == "2024-05-01T12:00:00.000000000Z up\n");
}

const system_clock::time_point kNow = system_clock::from_time_t(1714564800);  // 2024-05-01 12:00Z

std::string Since(std::string_view text) {
  Result<std::string> unix = LogTimeToUnix(text, kNow);
  REQUIRE(unix.ok());
  return *unix;
}

TEST_CASE("log time: unix seconds pass through with nine fraction digits", "[runtime][logs]") {
  CHECK(Since("1714564800") == "1714564800.000000000");
  CHECK(Since("1714564800.25") == "1714564800.250000000");
}

TEST_CASE("log time: rfc 3339 times and dates are read in their zone", "[runtime][logs]") {
  CHECK(Since("2024-05-01T12:00:00Z") == "1714564800.000000000");
  CHECK(Since("2024-05-01T14:00:00.5+02:00") == "1714564800.500000000");
  CHECK(Since("2024-05-01") == "1714521600.000000000");
}

TEST_CASE("log time: a duration counts back from now", "[runtime][logs]") {
  CHECK(Since("10m") == "1714564200.000000000");
  CHECK(Since("1h30m") == "1714559400.000000000");
}

TEST_CASE("log time: anything else is refused", "[runtime][logs]") {
  Result<std::string> unix = LogTimeToUnix("yesterday", kNow);
  REQUIRE_FALSE(unix.ok());
  CHECK(unix.error().ToString() ==
        "--since: \"yesterday\" is neither a time (2024-05-01T12:00:00Z, unix seconds) nor a "
        "duration (10m, 1h30m)");
}

// --- reading from engines

// Records what the merger writes; `on_line` may request a stop.
class RecordingSink final : public LogSink {
 public:
  void Line(StreamKind kind, std::string_view line) override {
    std::lock_guard lock(mu_);
    (kind == StreamKind::kStderr ? err : out).emplace_back(line);
    if (on_line) on_line(line);
  }
  void Problem(const Error& error) override {
    std::lock_guard lock(mu_);
    problems.push_back(error.ToString());
  }
  std::vector<std::string> out, err, problems;
  std::function<void(std::string_view)> on_line;

 private:
  std::mutex mu_;
};

transport::HostConfig LocalHost(const std::string& name, const std::string& socket) {
  transport::HostConfig host;
  host.name = name;
  host.socket = socket;
  return host;
}

HostPool Pool(const std::vector<transport::HostConfig>& hosts) {
  transport::SshOptions ssh;
  ssh.connect_timeout = std::chrono::milliseconds(500);
  return HostPool::Open(hosts, ssh, std::chrono::milliseconds(2000));
}

json Replica(const std::string& id, const std::string& service, int slot, bool oneoff = false) {
  return {{"Id", id},
          {"Names", {"/logs-" + service + "-" + std::to_string(slot)}},
          {"State", "running"},
          {"Labels",
           {{"com.docker.compose.project", "shop"},
            {"com.docker.compose.service", service},
            {"com.docker.compose.oneoff", oneoff ? "True" : "False"},
            {"baton.slot", std::to_string(slot)}}}};
}

// A container `id` without a TTY whose log is `frames`, sent in one piece.
void AddLog(FakeDockerServer& server, const std::string& id, const std::string& frames) {
  server.On("GET", "/v1.41/containers/" + id + "/json",
            JsonResponse(json{{"Id", id}, {"Config", {{"Tty", false}}}}.dump()));
  FakeResponse log;
  log.content_type = "application/vnd.docker.raw-stream";
  log.chunks = {frames};
  server.On("GET", "/v1.41/containers/" + id + "/logs", log);
}

std::string At(int second, const std::string& text) {
  return "2024-05-01T12:00:0" + std::to_string(second) + ".000000000Z " + text + "\n";
}

TEST_CASE("logs: the lines of containers on two hosts are merged in time order",
          "[runtime][logs]") {
  FakeDockerServer one, two;
  AddLog(one, "c1", Frame(1, At(1, "first") + At(3, "third")));
  AddLog(two, "c2", Frame(1, At(2, "second")) + Frame(2, At(4, "fourth")));
  HostPool pool = Pool({LocalHost("lab1", one.socket_path()), LocalHost("lab2", two.socket_path())});
  RecordingSink sink;
  std::vector<LogSource> sources{{"lab1", "c1", "web", 1}, {"lab2", "c2", "web", 2}};
  int problems = ShowLogs(pool, sources, {"shop", {}}, LogReadOptions{}, LogView{}, sink);
  CHECK(problems == 0);
  CHECK(sink.out == std::vector<std::string>{"web-1@lab1 | first\n", "web-2@lab2 | second\n",
                                             "web-1@lab1 | third\n"});
  CHECK(sink.err == std::vector<std::string>{"web-2@lab2 | fourth\n"});
  CHECK(one.Last("GET", "/v1.41/containers/c1/logs")->target ==
        "/v1.41/containers/c1/logs?stdout=1&stderr=1&timestamps=1&tail=all");
}

TEST_CASE("logs: tail and since are passed to every engine", "[runtime][logs]") {
  FakeDockerServer one;
  AddLog(one, "c1", "");
  HostPool pool = Pool({LocalHost("lab1", one.socket_path())});
  RecordingSink sink;
  LogReadOptions options;
  options.tail = "5";
  options.since = "1714564800.000000000";
  ShowLogs(pool, {{"lab1", "c1", "web", 1}}, {"shop", {}}, options, LogView{}, sink);
  CHECK(one.Last("GET", "/v1.41/containers/c1/logs")->target ==
        "/v1.41/containers/c1/logs?stdout=1&stderr=1&timestamps=1&since=1714564800.000000000&"
        "tail=5");
}

TEST_CASE("logs: sources are the project's replicas of the chosen services, one-offs left out",
          "[runtime][logs]") {
  FakeDockerServer one, two;
  one.On("GET", "/v1.41/containers/json",
         JsonResponse(json{Replica("c2", "web", 2), Replica("c9", "db", 1),
                           Replica("c7", "web", 7, true)}
                          .dump()));
  two.On("GET", "/v1.41/containers/json", JsonResponse(json{Replica("c1", "web", 1)}.dump()));
  HostPool pool = Pool({LocalHost("lab1", one.socket_path()), LocalHost("lab2", two.socket_path())});
  RecordingSink sink;
  std::vector<LogSource> sources = FindLogSources(pool, {"shop", {"web"}}, sink);
  REQUIRE(sources.size() == 2);
  CHECK(sources[0].Label() == "web-1@lab2");
  CHECK(sources[0].container_id == "c1");
  CHECK(sources[1].Label() == "web-2@lab1");
  CHECK(sink.problems.empty());
  CHECK(one.Last("GET", "/v1.41/containers/json")->target ==
        "/v1.41/containers/json?all=1&filters="
        "%7B%22label%22%3A%5B%22com.docker.compose.project%3Dshop%22%5D%7D");
}

TEST_CASE("logs: an unreachable host is reported and the others still shown",
          "[runtime][logs]") {
  FakeDockerServer one;
  one.On("GET", "/v1.41/containers/json", JsonResponse(json{Replica("c1", "web", 1)}.dump()));
  HostPool pool = Pool({LocalHost("lab1", one.socket_path()),
                        LocalHost("lab3", "/nonexistent/docker.sock")});
  RecordingSink sink;
  int problems = 0;
  std::vector<LogSource> sources = FindLogSources(pool, {"shop", {}}, sink, &problems);
  CHECK(problems == 1);
  CHECK(sources.size() == 1);
  REQUIRE(sink.problems.size() == 1);
  CHECK(sink.problems[0] ==
        "host lab3 unreachable: docker socket /nonexistent/docker.sock: couldn't connect to "
        "server (no such file or directory)");
}

TEST_CASE("logs: a container whose log cannot be read is named", "[runtime][logs]") {
  FakeDockerServer one;
  AddLog(one, "c1", Frame(1, At(1, "fine")));
  AddLog(one, "c2", "");
  one.On("GET", "/v1.41/containers/c2/logs",
         testing::DockerError(500, "Internal Server Error", "log driver failed"));
  HostPool pool = Pool({LocalHost("lab1", one.socket_path())});
  RecordingSink sink;
  int problems = ShowLogs(pool, {{"lab1", "c1", "web", 1}, {"lab1", "c2", "web", 2}},
                          {"shop", {}}, LogReadOptions{}, LogView{}, sink);
  CHECK(problems == 1);
  CHECK(sink.out == std::vector<std::string>{"web-1@lab1 | fine\n"});
  CHECK(sink.problems == std::vector<std::string>{
                             "host lab1: logs of web-2: 500 Internal Server Error: log driver failed"});
}

TEST_CASE("logs: a container removed since it was listed is no problem", "[runtime][logs]") {
  FakeDockerServer one;
  AddLog(one, "c1", Frame(1, At(1, "fine")));
  HostPool pool = Pool({LocalHost("lab1", one.socket_path())});
  RecordingSink sink;
  int problems = ShowLogs(pool, {{"lab1", "c1", "web", 1}, {"lab1", "gone", "web", 2}},
                          {"shop", {}}, LogReadOptions{}, LogView{}, sink);
  CHECK(problems == 0);
  CHECK(sink.out == std::vector<std::string>{"web-1@lab1 | fine\n"});
  CHECK(sink.problems.empty());
}

TEST_CASE("logs: following shows lines as they come until the streams end", "[runtime][logs]") {
  FakeDockerServer one;
  AddLog(one, "c1", "");
  FakeResponse slow;
  slow.content_type = "application/vnd.docker.raw-stream";
  slow.chunks = {Frame(1, At(5, "late")), Frame(1, At(1, "earlier stamp, later arrival"))};
  slow.chunk_delay = std::chrono::milliseconds(50);
  one.On("GET", "/v1.41/containers/c1/logs", slow);
  HostPool pool = Pool({LocalHost("lab1", one.socket_path())});
  RecordingSink sink;
  LogReadOptions options;
  options.follow = true;
  options.watch_starts = false;
  LogView bare{.prefix = false, .color = false, .show_timestamps = false};
  CHECK(ShowLogs(pool, {{"lab1", "c1", "web", 1}}, {"shop", {}}, options, bare, sink) == 0);
  CHECK(sink.out == std::vector<std::string>{"late\n", "earlier stamp, later arrival\n"});
  CHECK(one.Last("GET", "/v1.41/containers/c1/logs")->target ==
        "/v1.41/containers/c1/logs?stdout=1&stderr=1&follow=1&timestamps=1&tail=all");
}

TEST_CASE("logs: following picks up a replica that starts later", "[runtime][logs]") {
  FakeDockerServer one;
  one.On("GET", "/v1.41/containers/json", JsonResponse("[]"));
  FakeResponse events;
  events.chunks = {json{{"Type", "container"},
                        {"Action", "start"},
                        {"Actor", {{"ID", "c5"}, {"Attributes", Replica("c5", "web", 5)["Labels"]}}},
                        {"timeNano", 1714564800000000000}}
                       .dump() +
                   "\n"};
  events.hold_open = true;
  one.On("GET", "/v1.41/events", events);
  AddLog(one, "c5", Frame(1, At(1, "new replica")));
  HostPool pool = Pool({LocalHost("lab1", one.socket_path())});
  RecordingSink sink;
  std::stop_source stop;
  sink.on_line = [&](std::string_view) { stop.request_stop(); };
  CHECK(FollowProjectLogs(pool, {"shop", {"web"}}, LogView{}, sink, stop.get_token()) == 0);
  CHECK(sink.out == std::vector<std::string>{"web-5@lab1 | new replica\n"});
  CHECK(one.Last("GET", "/v1.41/containers/c5/logs")->target ==
        "/v1.41/containers/c5/logs?stdout=1&stderr=1&follow=1&timestamps=1&tail=all");
}

}  // namespace
}  // namespace baton::runtime
