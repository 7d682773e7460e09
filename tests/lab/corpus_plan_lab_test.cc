// Issue 8's corpus check (design section 6, "corpus plan check"): `baton
// plan` over every compose file of awesome-compose against the shared lab.
// The corpus holds compose files only (no build contexts, no secret files,
// no bind sources): as is, only located content errors may stop a plan; with
// stand-ins for what is missing, every plan builds each image once and
// pushes it to the other hosts that run it. Plan takes no lock and changes
// nothing, so the cases need no cleanup on the hosts.

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "base/file_system.h"
#include "compose/load.h"
#include "compose/model.h"
#include "lab_fixture.h"

extern char** environ;

namespace baton::lab_test {
namespace {

namespace fs = std::filesystem;
const fs::path kCorpus = fs::path(BATON_SOURCE_DIR) / "../shared/corpus/awesome-compose";

// Each application folder's compose file (compose.yaml or compose.yml).
std::vector<fs::path> CorpusFiles() {
  std::vector<fs::path> files;
  for (const fs::directory_entry& dir : fs::directory_iterator(kCorpus))
    for (const char* name : {"compose.yaml", "compose.yml"})
      if (fs::exists(dir.path() / name)) files.push_back(dir.path() / name);
  std::sort(files.begin(), files.end());
  return files;
}

// "b8c-pihole-cloudflared-doh": a project name from the application folder.
std::string ProjectOf(const fs::path& file) {
  std::string name = "b8c-" + file.parent_path().filename().string();
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return name;
}

// The project as baton loads it with `-f file -p name`.
compose::Project Load(const fs::path& file, const std::string& name) {
  compose::LoadOptions options;
  options.files = {file.string()};
  options.project_name = name;
  options.working_dir = file.parent_path();
  for (char** variable = environ; *variable != nullptr; ++variable) {
    std::string text = *variable;
    size_t equals = text.find('=');
    if (equals != std::string::npos)
      options.environment[text.substr(0, equals)] = text.substr(equals + 1);
  }
  RealFileSystem files;
  auto project = compose::Load(options, files);
  if (!project.ok()) FAIL(file.string() + ": " + project.error().ToString());
  return std::move(*project);
}

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

bool Builds(const compose::Project& project) {
  return std::any_of(project.services.begin(), project.services.end(),
                     [](const auto& entry) { return entry.second.build.has_value(); });
}

struct PlanRun {
  int exit_code = -1;
  nlohmann::json json;
};

// Starts `argv` (argv[0] a path, no shell) with its outputs to the files
// `out` and `err`; its pid, or -1.
pid_t Start(const std::vector<std::string>& argv, const fs::path& out, const fs::path& err) {
  pid_t pid = ::fork();
  if (pid != 0) return pid;
  int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (out_fd < 0 || err_fd < 0) ::_exit(126);
  ::dup2(out_fd, STDOUT_FILENO);
  ::dup2(err_fd, STDERR_FILENO);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  ::execv(args[0], args.data());
  ::_exit(127);
}

// Runs each argv (argv[0] a path, no shell), at most `at_once` at a time,
// each output to a file of its own; their results in the same order. Plans
// only read the hosts, so running a few side by side changes nothing but
// the wall time (3 at a time took 17 s down to 11 s; 6 gained nothing more).
std::vector<ProgramRun> RunSideBySide(const std::vector<std::vector<std::string>>& argvs,
                                      size_t at_once) {
  char dir_template[] = "/tmp/baton-corpus-plan-XXXXXX";
  REQUIRE(::mkdtemp(dir_template) != nullptr);
  const fs::path dir = dir_template;
  auto output = [&](size_t i, const char* stream) { return dir / (std::to_string(i) + stream); };
  std::vector<ProgramRun> runs(argvs.size());
  std::map<pid_t, size_t> running;
  for (size_t next = 0; next < argvs.size() || !running.empty();) {
    if (next < argvs.size() && running.size() < at_once) {
      pid_t pid = Start(argvs[next], output(next, ".out"), output(next, ".err"));
      REQUIRE(pid >= 0);
      running[pid] = next++;
      continue;
    }
    int status = 0;
    pid_t pid = ::waitpid(-1, &status, 0);
    REQUIRE(running.count(pid) == 1);
    runs[running[pid]].exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    running.erase(pid);
  }
  for (size_t i = 0; i < runs.size(); ++i) {
    runs[i].out = ReadText(output(i, ".out"));
    runs[i].err = ReadText(output(i, ".err"));
  }
  fs::remove_all(dir);
  return runs;
}

// `baton plan --format json` of each file as the project of the same index.
std::vector<ProgramRun> PlanAll(const Lab& lab, const std::vector<fs::path>& files,
                                const std::vector<std::string>& names) {
  std::vector<std::vector<std::string>> argvs;
  for (size_t i = 0; i < files.size(); ++i)
    argvs.push_back(
        {lab.binary, "-f", files[i].string(), "-p", names[i], "plan", "--format", "json"});
  return RunSideBySide(argvs, 3);
}

PlanRun Plan(const fs::path& file, const ProgramRun& run) {
  INFO(file.string() << "\n" << run.err);
  REQUIRE((run.exit_code == 0 || run.exit_code == 1));
  PlanRun plan{run.exit_code, nlohmann::json::parse(run.out, nullptr, false)};
  REQUIRE_FALSE(plan.json.is_discarded());
  return plan;
}

// The content errors a corpus file may have as is: a missing build context
// or Dockerfile, located at the service's build; a missing long-syntax bind
// source (which compose does not create either), located at the mount; or
// a missing secret file, located at the secret's file.
bool MissingLocalContent(const std::string& error) {
  static const std::regex kBuild(R"(\S*compose\.ya?ml:\d+:\d+: services\.[^.]+\.build: )"
                                 R"((build context|dockerfile) \S+ does not exist)");
  static const std::regex kBind(R"(\S*compose\.ya?ml:\d+:\d+: services\.[^.]+\.volumes\[\d+\]: )"
                                R"(bind source \S+ does not exist \(create_host_path: false\))");
  static const std::regex kSecret(R"re(\S*compose\.ya?ml:\d+:\d+: secrets\.([^.]+)\.file: )re"
                                  R"re(file \S+ required by secret "([^"]+)" does not exist)re");
  std::smatch match;
  if (std::regex_match(error, kBuild) || std::regex_match(error, kBind)) return true;
  return std::regex_match(error, match, kSecret) && match[1] == match[2];
}

TEST_CASE("corpus plan: as is, only missing local files of building projects stop a plan (a)",
          "[lab][corpus-plan]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  int building = 0, plain = 0;
  std::vector<fs::path> files = CorpusFiles();
  std::vector<std::string> names;
  for (const fs::path& file : files) names.push_back(Load(file, ProjectOf(file)).name);
  std::vector<ProgramRun> runs = PlanAll(*lab, files, names);
  for (size_t i = 0; i < files.size(); ++i) {
    const fs::path& file = files[i];
    INFO(file.string());
    compose::Project project = Load(file, ProjectOf(file));
    PlanRun plan = Plan(file, runs[i]);
    CHECK(plan.json["unplaced"].empty());
    if (!Builds(project)) {
      ++plain;
      CHECK(plan.exit_code == 0);
      CHECK(plan.json["errors"].empty());
      continue;
    }
    ++building;
    CHECK(plan.exit_code == (plan.json["errors"].empty() ? 0 : 1));
    for (const auto& error : plan.json["errors"]) {
      INFO(error.get<std::string>());
      CHECK(MissingLocalContent(error.get<std::string>()));
    }
  }
  CHECK(plain + building == 39);
  CHECK(building == 27);
}

void Touch(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

// What the corpus file's project lacks, made in its folder: a Dockerfile
// for each build (FROM the lab's image, named after the build's target),
// an empty file for each secret file, an empty folder for each bind source
// inside the folder.
void AddStandIns(const compose::Project& project, const fs::path& dir) {
  for (const auto& [name, service] : project.services) {
    if (!service.build) continue;
    const compose::BuildConfig& build = *service.build;
    fs::path dockerfile = build.dockerfile.empty() ? "Dockerfile" : build.dockerfile;
    if (dockerfile.is_relative()) dockerfile = fs::path(build.context) / dockerfile;
    std::string stage = build.target.empty() ? "" : " AS " + build.target;
    if (!fs::exists(dockerfile)) Touch(dockerfile, "FROM baton/busybox:lab" + stage + "\n");
  }
  for (const auto& [key, secret] : project.secrets)
    if (!secret.file.empty() && !fs::exists(secret.file)) Touch(secret.file, "");
  const std::string inside = dir.string() + "/";
  for (const auto& [name, service] : project.services)
    for (const compose::VolumeMount& mount : service.volumes)
      if (mount.type == "bind" && mount.source.starts_with(inside) && !fs::exists(mount.source))
        fs::create_directories(mount.source);
}

// A copy of the corpus file (and its .env) in a temp folder of its own.
fs::path CopyOf(const fs::path& file) {
  fs::path dir = fs::temp_directory_path() / (ProjectOf(file) + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy_file(file, dir / file.filename());
  if (fs::exists(file.parent_path() / ".env"))
    fs::copy_file(file.parent_path() / ".env", dir / ".env");
  return dir / file.filename();
}

// The repository a service's built image is tagged in: `image:` without its
// tag, or "<project>-<service>".
std::string RepositoryOf(const compose::Project& project, const compose::Service& service) {
  if (service.image.empty()) return project.name + "-" + service.name;
  size_t colon = service.image.rfind(':');
  size_t slash = service.image.rfind('/');
  bool tagged = colon != std::string::npos && (slash == std::string::npos || colon > slash);
  return tagged ? service.image.substr(0, colon) : service.image;
}

// One build of `service` on a host that runs it, and a push of that image to
// every other host that runs it, and to no other host.
void CheckBuildAndPushes(const nlohmann::json& plan, const compose::Project& project,
                         const compose::Service& service) {
  INFO("service " << service.name);
  const std::string prefix = RepositoryOf(project, service) + ":baton-";
  std::vector<std::pair<std::string, std::string>> builds;  // (host, tag)
  for (const auto& action : plan["actions"])
    if (action["kind"] == "build_image" && action["name"].get<std::string>().starts_with(prefix))
      builds.emplace_back(action["host"].get<std::string>(), action["name"].get<std::string>());
  REQUIRE(builds.size() == 1);
  const auto& [build_host, tag] = builds.front();
  std::set<std::string> placed, pushed;
  for (const auto& assignment : plan["placement"])
    if (assignment["service"] == service.name) placed.insert(assignment["host"].get<std::string>());
  for (const auto& action : plan["actions"])
    if (action["kind"] == "push_image" && action["name"] == tag) {
      pushed.insert(action["host"].get<std::string>());
      CHECK(action["source_host"] == build_host);
    }
  CHECK(placed.count(build_host) == 1);
  placed.erase(build_host);
  CHECK(pushed == placed);
}

TEST_CASE("corpus plan: with stand-ins every file plans one build per service and its pushes (b)",
          "[lab][corpus-plan]") {
  auto lab = LabFromEnvironment();
  if (!lab) return;
  std::vector<fs::path> originals = CorpusFiles();
  std::vector<fs::path> files;
  std::vector<std::string> names;
  for (const fs::path& original : originals) {
    files.push_back(CopyOf(original));
    AddStandIns(Load(files.back(), ProjectOf(original)), files.back().parent_path());
    names.push_back(Load(files.back(), ProjectOf(original)).name);
  }
  std::vector<ProgramRun> runs = PlanAll(*lab, files, names);
  for (size_t i = 0; i < files.size(); ++i) {
    const fs::path& file = files[i];
    INFO(originals[i].string());
    compose::Project project = Load(file, ProjectOf(originals[i]));
    PlanRun plan = Plan(file, runs[i]);
    CHECK(plan.exit_code == 0);
    CHECK(plan.json["errors"].empty());
    CHECK(plan.json["unplaced"].empty());
    for (const auto& [name, service] : project.services)
      if (service.build) CheckBuildAndPushes(plan.json, project, service);
    fs::remove_all(file.parent_path());
  }
}

}  // namespace
}  // namespace baton::lab_test
