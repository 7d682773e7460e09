// Issue 5's figures, measured on a running lab (`baton lab up 3`) with
// testdata/bench/net (client on lab1, server on lab2, one spanned network):
//   a. DNS answer latency (median, p99) from a container through Docker's
//      embedded DNS, for a cluster name (answered by netd) and for a
//      forwarded name (netd relays it to a stub upstream on 10.209.0.1);
//   b. netd's DNS throughput: queries/s with 64 kept outstanding, and
//      queries per CPU-second of the baton-netd process ("on one core");
//   c. cross-host TCP throughput container to container against host to
//      host (the lab hosts' own namespaces), and their ratio.
// Probes run bench/net_probe, baked into an image built on lab1 and lab2.
// Everything started is removed at the end, on failure too (`down -v`, the
// stub, the host receiver, the image).
//
// Usage: net_bench --lab-dir DIR [--baton PATH] [--probe PATH]
//                  [--overlay auto|vxlan] [--runs N]
// baton and net_probe default to the ones built beside this benchmark.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "base/result.h"

extern char** environ;

namespace {

namespace fs = std::filesystem;
using baton::Error;
using baton::Result;
using baton::Status;
using Argv = std::vector<std::string>;
using Fields = std::map<std::string, std::string>;

constexpr char kProject[] = "netbench";
constexpr char kImage[] = "baton/netprobe:bench";
constexpr char kUpstream[] = "10.209.0.1";  // the machine's side of the lab bridge
constexpr char kServerHostAddress[] = "10.209.0.12";

struct Options {
  std::string lab_dir, baton, probe, overlay = "auto";
  int runs = 5;
};

// ---- child processes (fork/exec with argv only, never a shell) ----

std::vector<char*> CArgs(Argv& argv) {
  std::vector<char*> out;
  for (std::string& arg : argv) out.push_back(arg.data());
  out.push_back(nullptr);
  return out;
}

// Reads both pipes to their end, or until the deadline; false on timeout.
bool Drain(int out_fd, int err_fd, std::string& out, std::string& err,
           std::chrono::steady_clock::time_point deadline) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {&out, &err};
  char buffer[8192];
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || poll(fds, 2, static_cast<int>(left.count())) <= 0) return false;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      } else {
        close(fds[i].fd);
        fds[i].fd = -1;
      }
    }
  }
  return true;
}

std::string LastLine(std::string text) {
  while (!text.empty() && text.back() == '\n') text.pop_back();
  size_t newline = text.rfind('\n');
  return newline == std::string::npos ? text : text.substr(newline + 1);
}

// "docker", or the program nsenter runs, for error messages.
Error Failed(const Argv& argv, const std::string& why) {
  std::string program = fs::path(argv[0]).filename().string();
  if (program == "nsenter" && argv.size() > 2) program = fs::path(argv[2]).filename().string();
  return Error::Internal("", program + " " + why);
}

std::string ExitText(int status, const std::string& output) {
  std::string text = WIFEXITED(status) ? "exited " + std::to_string(WEXITSTATUS(status))
                                       : "killed by signal " + std::to_string(WTERMSIG(status));
  std::string line = LastLine(output);
  return line.empty() ? text : text + ": " + line;
}

// Runs argv to its end (killed after `timeout_seconds`) and returns its
// standard output; a failure carries the last line of its standard error.
Result<std::string> Run(Argv argv, int timeout_seconds = 300) {
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0)
    return Failed(argv, std::string("could not start: ") + std::strerror(errno));
  if (pipe2(err, O_CLOEXEC) != 0) {
    close(out[0]), close(out[1]);
    return Failed(argv, std::string("could not start: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  pid_t pid = 0;
  std::vector<char*> c_argv = CArgs(argv);
  int spawned = posix_spawn(&pid, c_argv[0], &actions, nullptr, c_argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out[1]), close(err[1]);
  if (spawned != 0) {
    close(out[0]), close(err[0]);
    return Failed(argv, std::string("could not start: ") + std::strerror(spawned));
  }
  std::string stdout_text, stderr_text;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  bool in_time = Drain(out[0], err[0], stdout_text, stderr_text, deadline);
  if (!in_time) kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!in_time) return Failed(argv, "killed after " + std::to_string(timeout_seconds) + " s");
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return stdout_text;
  return Failed(argv, ExitText(status, stderr_text.empty() ? stdout_text : stderr_text));
}

// Starts argv in the background, its output discarded; 0 when it could not
// start or has already exited 300 ms later (a port taken, say).
pid_t Start(Argv argv) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  pid_t pid = 0;
  std::vector<char*> c_argv = CArgs(argv);
  int spawned = posix_spawn(&pid, c_argv[0], &actions, nullptr, c_argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return 0;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  int status = 0;
  return waitpid(pid, &status, WNOHANG) == 0 ? pid : 0;
}

void Stop(pid_t pid) {
  if (pid <= 0) return;
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
}

// ---- the lab ----

Argv Docker(const Options& options, const std::string& host, const Argv& args) {
  Argv argv = {"/usr/bin/docker", "-H",
               "unix://" + options.lab_dir + "/hosts/" + host + "/run/docker.sock"};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

// argv run in a lab host's network namespace (this machine's files).
Argv InHost(const std::string& host, const Argv& args) {
  Argv argv = {"/usr/bin/nsenter", "--net=/run/netns/batonlab-" + host};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

Argv Baton(const Options& options, const std::string& hosts_file, const Argv& args) {
  std::string compose = std::string(BATON_SOURCE_DIR) + "/testdata/bench/net/compose.yaml";
  Argv argv = {options.baton, "--hosts", hosts_file, "-p", kProject, "-f", compose};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

std::string Trim(const std::string& text) {
  size_t begin = text.find_first_not_of(" \n"), end = text.find_last_not_of(" \n");
  return begin == std::string::npos ? "" : text.substr(begin, end - begin + 1);
}

// The key=value pairs of net_probe's result line that starts with `kind`.
Result<Fields> ProbeFields(const Result<std::string>& output, const std::string& kind) {
  if (!output.ok()) return output.error();
  std::istringstream lines(*output);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(kind + " ", 0) != 0) continue;
    Fields fields;
    std::istringstream words(line);
    for (std::string word; words >> word;)
      if (size_t eq = word.find('='); eq != std::string::npos)
        fields[word.substr(0, eq)] = word.substr(eq + 1);
    return fields;
  }
  return Error::Internal("net_probe", "no " + kind + " result in: " + LastLine(*output));
}

const char* Field(const Fields& fields, const std::string& key) {
  auto it = fields.find(key);
  return it == fields.end() ? "?" : it->second.c_str();
}

double Number(const Fields& fields, const std::string& key) {
  return std::atof(Field(fields, key));
}

// ---- setup ----

Status BuildImage(const Options& options, const std::string& host, const fs::path& context) {
  auto built = Run(Docker(options, host, {"build", "-q", "-t", kImage, context.string()}));
  if (!built.ok()) return built.error().Within("build " + std::string(kImage) + " on " + host);
  return Status::Ok();
}

// The lab's hosts file, lab1 and lab2 only (the stack runs there; another
// host's trouble, e.g. a test stopping its dockerd, must not stop `up`),
// with the cluster settings this run needs.
Status WriteHostsFile(const Options& options, const fs::path& path) {
  try {
    YAML::Node hosts = YAML::LoadFile(options.lab_dir + "/baton.hosts.yaml");
    YAML::Node used(YAML::NodeType::Sequence);
    for (const YAML::Node& host : hosts["hosts"]) {
      std::string name = host["name"].as<std::string>("");
      if (name == "lab1" || name == "lab2") used.push_back(host);
    }
    hosts["hosts"] = used;
    hosts["cluster"]["overlay"] = options.overlay;
    hosts["cluster"]["dns_upstream"] = std::vector<std::string>{kUpstream};
    YAML::Emitter out;
    out << hosts;
    std::ofstream(path) << out.c_str() << "\n";
    return Status::Ok();
  } catch (const YAML::Exception& e) {
    return Error::Invalid(options.lab_dir + "/baton.hosts.yaml", e.what());
  }
}

Result<std::string> ServiceContainer(const Options& options, const std::string& host,
                                     const std::string& service) {
  auto ids = Run(
      Docker(options, host,
             {"ps", "-q", "--filter", std::string("label=com.docker.compose.project=") + kProject,
              "--filter", "label=com.docker.compose.service=" + service}));
  if (!ids.ok()) return ids.error();
  std::string id = Trim(*ids);
  if (id.empty() || id.find('\n') != std::string::npos)
    return Error::NotFound("host " + host, "expected one running " + service + " container");
  return id;
}

// One field of the container's only network, e.g. "IPAddress", "Gateway".
Result<std::string> NetworkField(const Options& options, const std::string& host,
                                 const std::string& container, const std::string& field) {
  std::string format = "{{range .NetworkSettings.Networks}}{{." + field + "}}{{end}}";
  auto value = Run(Docker(options, host, {"inspect", "-f", format, container}));
  if (!value.ok()) return value.error();
  return Trim(*value);
}

// ---- measurements ----

struct Figures {
  Fields cluster_dns, forwarded_dns, direct_dns, flood;
  double netd_cpu_seconds = -1;
  std::vector<double> container_gbit, host_gbit;
  std::string path;  // how lab1 reaches the server: "vxlan", "routes" or "?"
};

struct Targets {
  std::string client, server_ip, gateway;
};

// net_probe's result line kind for a mode: "tcp" for tcp-send, else the mode.
std::string ResultKind(const Argv& args) { return args[0] == "tcp-send" ? "tcp" : args[0]; }

// Runs net_probe ARGS in the client container and returns its result.
Result<Fields> InClient(const Options& options, const Targets& targets, const Argv& args) {
  Argv exec = {"exec", targets.client, "/net_probe"};
  exec.insert(exec.end(), args.begin(), args.end());
  return ProbeFields(Run(Docker(options, "lab1", exec)), ResultKind(args));
}

// Runs net_probe ARGS in a lab host's network namespace.
Result<Fields> OnHost(const Options& options, const std::string& host, const Argv& args) {
  Argv probe = {options.probe};
  probe.insert(probe.end(), args.begin(), args.end());
  return ProbeFields(Run(InHost(host, probe)), ResultKind(args));
}

// Waits until netd on lab1 answers the server's name with its address (the
// peers' announcements take a moment after `up`).
Status WaitForServerName(const Options& options, const Targets& targets) {
  for (int attempt = 0; attempt < 40; ++attempt) {
    auto answer = InClient(options, targets, {"dns", "127.0.0.11", "server", "1"});
    if (answer.ok() && (*answer)["addresses"] == targets.server_ip) return Status::Ok();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  return Error::Unreachable("lab1",
                            "`server` did not resolve to " + targets.server_ip + " in 20 s");
}

// User plus system CPU seconds of a process, -1 when unreadable.
double CpuSeconds(const std::string& pid) {
  std::ifstream file("/proc/" + pid + "/stat");
  std::string stat((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  size_t close_paren = stat.rfind(')');
  if (close_paren == std::string::npos) return -1;
  std::istringstream fields(stat.substr(close_paren + 2));
  std::vector<std::string> values;
  for (std::string v; fields >> v;) values.push_back(v);
  if (values.size() < 13) return -1;  // utime and stime are fields 14 and 15
  return std::atof(values[11].c_str()) / static_cast<double>(sysconf(_SC_CLK_TCK)) +
         std::atof(values[12].c_str()) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

Status MeasureDns(const Options& options, const Targets& targets, Figures& figures) {
  auto cluster = InClient(options, targets, {"dns", "127.0.0.11", "server", "2000"});
  if (!cluster.ok()) return cluster.error().Within("cluster name");
  auto forwarded = InClient(options, targets, {"dns", "127.0.0.11", "example.test", "500"});
  if (!forwarded.ok()) return forwarded.error().Within("forwarded name");
  auto direct = InClient(options, targets, {"dns", targets.gateway, "server", "2000"});
  if (!direct.ok()) return direct.error().Within("cluster name from netd directly");
  figures.cluster_dns = *cluster, figures.forwarded_dns = *forwarded, figures.direct_dns = *direct;
  return Status::Ok();
}

Result<std::string> NetdPid(const Options& options) {
  auto pid = Run(Docker(options, "lab1", {"inspect", "-f", "{{.State.Pid}}", "baton-netd"}));
  if (!pid.ok()) return pid.error().Within("netd's process");
  return Trim(*pid);
}

Status MeasureFlood(const Options& options, const Targets& targets, Figures& figures) {
  auto pid = NetdPid(options);
  if (!pid.ok()) return pid.error();
  double before = CpuSeconds(*pid);
  auto flood = InClient(options, targets, {"dns-flood", targets.gateway, "server", "5"});
  if (!flood.ok()) return flood.error().Within("dns flood");
  double after = CpuSeconds(*pid);
  // Another deploy to the shared lab may recreate netd; its CPU time and the
  // lost queries would then measure the restart, not netd.
  if (auto again = NetdPid(options); !again.ok() || *again != *pid)
    return Error::Conflict("lab1", "netd was restarted during the dns flood");
  figures.flood = *flood;
  if (before >= 0 && after >= 0) figures.netd_cpu_seconds = after - before;
  return Status::Ok();
}

// How lab1 sends to the server's slice: "vxlan" (over baton-vx), "routes"
// (straight to lab2's address) or "?".
std::string PathToServer(const Targets& targets) {
  auto route = Run(InHost("lab1", {"/usr/sbin/ip", "route", "get", targets.server_ip}));
  if (!route.ok()) return "?";
  if (route->find(" dev baton-vx") != std::string::npos) return "vxlan";
  if (route->find(std::string(" via ") + kServerHostAddress) != std::string::npos) return "routes";
  return "?";
}

Status MeasureTcp(const Options& options, const Targets& targets, Figures& figures) {
  for (int run = 0; run < options.runs; ++run) {
    auto containers = InClient(options, targets, {"tcp-send", targets.server_ip, "5001", "1024"});
    if (!containers.ok()) return containers.error().Within("container to container");
    figures.container_gbit.push_back(Number(*containers, "gbit_per_s"));
    auto hosts = OnHost(options, "lab1", {"tcp-send", kServerHostAddress, "5002", "1024"});
    if (!hosts.ok()) return hosts.error().Within("host to host");
    figures.host_gbit.push_back(Number(*hosts, "gbit_per_s"));
  }
  return Status::Ok();
}

// ---- the run, and what it leaves behind ----

// Owns everything a run starts; its destructor removes it all, so a failed
// step leaves the lab as found.
class BenchRun {
 public:
  explicit BenchRun(const Options& options) : options_(options) {}
  ~BenchRun() { Teardown(); }
  BenchRun(const BenchRun&) = delete;
  BenchRun& operator=(const BenchRun&) = delete;

  Status Setup();
  Status Measure(Figures& figures);

 private:
  void Teardown();

  const Options& options_;
  fs::path dir_;
  bool deployed_ = false;
  pid_t stub_ = 0, receiver_ = 0;
};

Status BenchRun::Setup() {
  char templ[] = "/tmp/net_bench.XXXXXX";
  if (mkdtemp(templ) == nullptr) return Error::Internal("mkdtemp", std::strerror(errno));
  dir_ = templ;
  std::error_code ec;
  fs::copy_file(options_.probe, dir_ / "net_probe", ec);
  if (ec) return Error::Internal(options_.probe, ec.message());
  std::ofstream(dir_ / "Dockerfile") << "FROM baton/busybox:lab\nCOPY net_probe /net_probe\n";
  for (const char* host : {"lab1", "lab2"})
    if (auto s = BuildImage(options_, host, dir_); !s.ok()) return s;
  stub_ = Start({options_.probe, "dns-stub", kUpstream});
  if (stub_ == 0) return Error::Conflict(kUpstream, "the dns stub did not start (port 53 taken?)");
  receiver_ = Start(InHost("lab2", {options_.probe, "tcp-recv", "5002"}));
  if (receiver_ == 0) return Error::Conflict("lab2", "the host tcp receiver did not start");
  if (auto s = WriteHostsFile(options_, dir_ / "hosts.yaml"); !s.ok()) return s;
  deployed_ = true;
  auto up = Run(Baton(options_, dir_ / "hosts.yaml", {"up", "-d"}));
  if (!up.ok()) return up.error().Within("baton up");
  return Status::Ok();
}

Status BenchRun::Measure(Figures& figures) {
  Targets targets;
  auto client = ServiceContainer(options_, "lab1", "client");
  if (!client.ok()) return client.error();
  auto server = ServiceContainer(options_, "lab2", "server");
  if (!server.ok()) return server.error();
  auto server_ip = NetworkField(options_, "lab2", *server, "IPAddress");
  if (!server_ip.ok()) return server_ip.error();
  auto gateway = NetworkField(options_, "lab1", *client, "Gateway");
  if (!gateway.ok()) return gateway.error();
  targets = {*client, *server_ip, *gateway};
  if (auto s = WaitForServerName(options_, targets); !s.ok()) return s;
  if (auto s = MeasureDns(options_, targets, figures); !s.ok()) return s;
  if (auto s = MeasureFlood(options_, targets, figures); !s.ok()) return s;
  figures.path = PathToServer(targets);
  return MeasureTcp(options_, targets, figures);
}

void BenchRun::Teardown() {
  if (deployed_) {
    auto down = Run(Baton(options_, dir_ / "hosts.yaml", {"down", "-v"}));
    if (!down.ok()) std::fprintf(stderr, "net_bench: down: %s\n", down.error().ToString().c_str());
  }
  Stop(receiver_);
  Stop(stub_);
  if (dir_.empty()) return;
  for (const char* host : {"lab1", "lab2"}) (void)Run(Docker(options_, host, {"rmi", kImage}));
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

// ---- report ----

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values.empty() ? 0 : values[values.size() / 2];
}

void PrintDnsRow(const char* what, const Fields& fields) {
  std::printf("  %-44s %9.0f %9.0f   %s/%s answered\n", what, Number(fields, "median_us"),
              Number(fields, "p99_us"), Field(fields, "answered"), Field(fields, "queries"));
}

void PrintSummary(const Options& options, const Figures& figures) {
  std::printf("net_bench: overlay %s (lab1 -> lab2 path: %s)\n", options.overlay.c_str(),
              figures.path.c_str());
  std::printf("  DNS from a container                          median us   p99 us\n");
  PrintDnsRow("cluster name via 127.0.0.11 (Docker -> netd)", figures.cluster_dns);
  PrintDnsRow("forwarded name via 127.0.0.11 (-> upstream)", figures.forwarded_dns);
  PrintDnsRow("cluster name, netd directly (gateway)", figures.direct_dns);
  double answered = Number(figures.flood, "answered");
  std::printf("  netd throughput: %.0f queries/s (window %s, %s lost)",
              Number(figures.flood, "qps"), Field(figures.flood, "window"),
              Field(figures.flood, "lost"));
  if (figures.netd_cpu_seconds <= 0)
    std::printf(", netd CPU time unknown");
  else
    std::printf(", netd CPU %.2f s over %s s => %.0f queries per CPU-second",
                figures.netd_cpu_seconds, Field(figures.flood, "seconds"),
                answered / figures.netd_cpu_seconds);
  std::printf("\n");
  double containers = Median(figures.container_gbit), hosts = Median(figures.host_gbit);
  std::printf(
      "  TCP lab1 -> lab2, 1 GiB, median of %d: containers %.2f Gbit/s, hosts %.2f Gbit/s, "
      "ratio %.2f\n",
      options.runs, containers, hosts, hosts > 0 ? containers / hosts : 0);
}

bool ParseArgs(int argc, char** argv, Options& options) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--lab-dir")
      options.lab_dir = argv[i + 1];
    else if (flag == "--baton")
      options.baton = argv[i + 1];
    else if (flag == "--probe")
      options.probe = argv[i + 1];
    else if (flag == "--overlay")
      options.overlay = argv[i + 1];
    else if (flag == "--runs")
      options.runs = std::atoi(argv[i + 1]);
    else
      return false;
  }
  return argc % 2 == 1 && !options.lab_dir.empty() && options.runs > 0 &&
         (options.overlay == "auto" || options.overlay == "vxlan");
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  fs::path here = fs::absolute(argv[0]).parent_path();
  options.baton = (here / "../cli/baton").lexically_normal().string();
  options.probe = (here / "net_probe").string();
  if (!ParseArgs(argc, argv, options)) {
    std::fprintf(stderr,
                 "usage: net_bench --lab-dir DIR [--baton PATH] [--probe PATH] "
                 "[--overlay auto|vxlan] [--runs N]\n");
    return 2;
  }
  options.baton = fs::absolute(options.baton).string();
  options.probe = fs::absolute(options.probe).string();
  // The lab's engines are Docker 20.10 and no buildx plugin is installed:
  // the classic builder is the one that works with both.
  setenv("DOCKER_BUILDKIT", "0", 1);
  Figures figures;
  Status status = Status::Ok();
  {
    BenchRun run(options);
    status = run.Setup();
    if (status.ok()) status = run.Measure(figures);
  }
  if (!status.ok()) {
    std::fprintf(stderr, "net_bench: %s\n", status.error().ToString().c_str());
    return 1;
  }
  PrintSummary(options, figures);
  return 0;
}
