// `baton config` end to end: runs the built binary on testdata/config and
// testdata/demo and checks its output and exit code. The child gets a fixed
// argv and environment built here from test-controlled paths, through
// fork/execve (never a shell).

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const fs::path kSource = BATON_SOURCE_DIR;
const fs::path kBasic = kSource / "testdata" / "config" / "basic" / "compose.yaml";

struct Outcome {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> pointers;
  for (std::string& s : strings) pointers.push_back(s.data());
  pointers.push_back(nullptr);
  return pointers;
}

// Reads both pipes until both close, so a child filling one cannot block.
void Drain(int out_fd, int err_fd, Outcome& outcome) {
  pollfd fds[2] = {{out_fd, POLLIN, 0}, {err_fd, POLLIN, 0}};
  std::string* sinks[2] = {&outcome.out, &outcome.err};
  int open = 2;
  while (open > 0 && poll(fds, 2, 10000) > 0) {
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buffer[4096];
      ssize_t n = read(fds[i].fd, buffer, sizeof buffer);
      if (n > 0) {
        sinks[i]->append(buffer, static_cast<size_t>(n));
      } else {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open;
      }
    }
  }
  for (pollfd& p : fds) {
    if (p.fd >= 0) close(p.fd);
  }
}

// Runs the baton binary with `args` in the repository root, with only the
// variables in `env` set, plus PATH and (unless `env` sets it) HOME.
Outcome RunBaton(std::vector<std::string> args, std::vector<std::string> env = {}) {
  REQUIRE(fs::exists(BATON_BINARY));  // build the `baton` target before cli_tests
  args.insert(args.begin(), BATON_BINARY);
  bool has_home = false;
  for (const std::string& variable : env) has_home = has_home || variable.rfind("HOME=", 0) == 0;
  if (!has_home) env.push_back("HOME=/nonexistent-home");
  env.push_back("PATH=/usr/bin:/bin");
  std::vector<char*> argv = CStrings(args);
  std::vector<char*> envp = CStrings(env);
  const std::string dir = kSource.string();
  int out_pipe[2], err_pipe[2];
  REQUIRE(pipe2(out_pipe, O_CLOEXEC) == 0);
  REQUIRE(pipe2(err_pipe, O_CLOEXEC) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {  // only async-signal-safe calls until execve
    if (chdir(dir.c_str()) != 0) _exit(126);
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  Outcome outcome;
  Drain(out_pipe[0], err_pipe[0], outcome);
  int status = 0;
  waitpid(pid, &status, 0);
  outcome.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return outcome;
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

Outcome ConfigOfBasic(std::vector<std::string> flags, std::vector<std::string> env = {}) {
  std::vector<std::string> args = {"-f", kBasic.string(), "config"};
  args.insert(args.end(), flags.begin(), flags.end());
  return RunBaton(std::move(args), std::move(env));
}

TEST_CASE("config: prints the normalised project as YAML", "[cli][config]") {
  Outcome run = ConfigOfBasic({});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  std::string want = ReadFile(kSource / "testdata" / "config" / "basic" / "expected.yaml");
  ReplaceAll(want, "__DIR__", kBasic.parent_path().string());
  CHECK(run.out == want);
  CHECK(run.err.empty());
}

// compose-go's own output for its full example (see ../shared/corpus/README.md),
// byte for byte: key order, quoting, durations, sizes and modes included.
TEST_CASE("config: full-example.yml prints exactly what compose-go prints", "[cli][config]") {
  const fs::path corpus = kSource / ".." / "shared" / "corpus" / "compose-go";
  if (!fs::is_directory(corpus)) {
    WARN("skipped: " << corpus.string() << " is absent (the shared compose corpus)");
    return;
  }
  const fs::path dir = fs::canonical(corpus / "loader");
  Outcome run = RunBaton({"-f", (dir / "full-example.yml").string(), "config", "--no-normalize",
                          "--no-consistency"},
                         {"HOME=/home/tester", "BAR=this is a secret", "QUX=qux_from_environment"});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  std::string want = ReadFile(corpus / "expected" / "full-example.expected.yaml");
  ReplaceAll(want, "__WORKING_DIR__", dir.string());
  ReplaceAll(want, "__HOME_DIR__", "/home/tester");
  CHECK(run.out == want);
}

TEST_CASE("config: --format json prints typed JSON", "[cli][config]") {
  Outcome run = ConfigOfBasic({"--format", "json"});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  nlohmann::json project = nlohmann::json::parse(run.out);
  CHECK(project["name"] == "basic");
  CHECK(project["services"]["web"]["ports"][0]["target"] == 80);
  CHECK(project["services"]["web"]["ports"][0]["published"] == "8080");
  CHECK(project["services"]["app"]["environment"]["RELEASE"] == "dev");
}

TEST_CASE("config: --format refuses other formats", "[cli][config]") {
  Outcome run = ConfigOfBasic({"--format", "toml"});
  CHECK(run.exit_code != 0);
  CHECK(run.out.empty());
  CHECK_THAT(run.err, Catch::StartsWith("--format: toml not in {yaml,json}\n"));
}

TEST_CASE("config: --services lists the enabled services", "[cli][config]") {
  CHECK(ConfigOfBasic({"--services"}).out == "app\nweb\n");
}

TEST_CASE("config: --profile enables that profile's services", "[cli][config]") {
  CHECK(ConfigOfBasic({"--services", "--profile", "debug"}).out == "app\ndebug\nweb\n");
}

TEST_CASE("config: COMPOSE_PROFILES enables profiles", "[cli][config]") {
  CHECK(ConfigOfBasic({"--services"}, {"COMPOSE_PROFILES=ops"}).out == "app\nmigrate\nweb\n");
}

TEST_CASE("config: --profiles lists every profile, enabled or not", "[cli][config]") {
  CHECK(ConfigOfBasic({"--profiles"}).out == "debug\nops\ntools\n");
}

TEST_CASE("config: --images names build-only services after the project", "[cli][config]") {
  CHECK(ConfigOfBasic({"--images"}).out == "basic-app\nnginx:1.25\n");
}

TEST_CASE("config: -p renames the project", "[cli][config]") {
  CHECK(ConfigOfBasic({"--images", "-p", "other"}).out == "other-app\nnginx:1.25\n");
}

TEST_CASE("config: --volumes and --networks list top-level names", "[cli][config]") {
  CHECK(ConfigOfBasic({"--volumes"}).out == "static\n");
  CHECK(ConfigOfBasic({"--networks"}).out == "back\nfront\n");
}

TEST_CASE("config: list flags exclude each other", "[cli][config]") {
  Outcome run = ConfigOfBasic({"--services", "--volumes"});
  CHECK(run.exit_code != 0);
  CHECK(run.out.empty());
}

TEST_CASE("config: -q validates and prints nothing", "[cli][config]") {
  Outcome run = ConfigOfBasic({"-q"});
  CHECK(run.exit_code == 0);
  CHECK(run.out.empty());
  CHECK(run.err.empty());
}

TEST_CASE("config: -o writes the output to a file", "[cli][config]") {
  const fs::path file = fs::temp_directory_path() / ("baton-config-test-" +
                                                     std::to_string(getpid()) + ".yaml");
  Outcome run = ConfigOfBasic({"-o", file.string()});
  std::string written = ReadFile(file);
  fs::remove(file);
  CHECK(run.exit_code == 0);
  CHECK(run.out.empty());
  CHECK(written == ConfigOfBasic({}).out);
}

TEST_CASE("config: -o into a missing directory is an error", "[cli][config]") {
  Outcome run = ConfigOfBasic({"-o", "/nonexistent-dir/out.yaml"});
  CHECK(run.exit_code == 1);
  CHECK(run.err == "baton: cannot write /nonexistent-dir/out.yaml: No such file or directory\n");
}

TEST_CASE("config: variables come from the environment", "[cli][config]") {
  Outcome run = ConfigOfBasic({}, {"RELEASE=1.0"});
  CHECK_THAT(run.out, Catch::Contains("RELEASE: \"1.0\"\n"));
}

TEST_CASE("config: --no-interpolate keeps variable references", "[cli][config]") {
  Outcome run = ConfigOfBasic({"--no-interpolate"}, {"RELEASE=1.0"});
  CHECK_THAT(run.out, Catch::Contains("RELEASE: ${RELEASE:-dev}\n"));
}

TEST_CASE("config: --no-normalize leaves out resource names", "[cli][config]") {
  CHECK_THAT(ConfigOfBasic({}).out, Catch::Contains("name: basic_front\n"));
  CHECK_THAT(ConfigOfBasic({"--no-normalize"}).out, !Catch::Contains("name: basic_front"));
}

TEST_CASE("config: project flags are accepted after the command", "[cli][config]") {
  Outcome before = RunBaton({"-f", kBasic.string(), "--profile", "ops", "config", "--services"});
  Outcome after = RunBaton({"config", "--services", "-f", kBasic.string(), "--profile", "ops"});
  CHECK(after.exit_code == 0);
  CHECK(after.out == "app\nmigrate\nweb\n");
  CHECK(after.out == before.out);
}

TEST_CASE("config: an undefined network fails unless --no-consistency", "[cli][config]") {
  const fs::path file = kSource / "testdata" / "config" / "undefined_network" / "compose.yaml";
  Outcome strict = RunBaton({"-f", file.string(), "config", "-q"});
  CHECK(strict.exit_code == 1);
  // Files below the working directory (the repository root) are named relative to it.
  CHECK(strict.err ==
        "baton: testdata/config/undefined_network/compose.yaml:5:16: "
        "services.web.networks.missing: service \"web\" refers to undefined network missing\n");
  Outcome lenient = RunBaton({"-f", file.string(), "config", "-q", "--no-consistency"});
  CHECK(lenient.exit_code == 0);
}

TEST_CASE("config: an invalid file exits 1 naming file, line and column", "[cli][config]") {
  const fs::path file = kSource / "testdata" / "config" / "invalid" / "compose.yaml";
  Outcome run = RunBaton({"-f", file.string(), "config"});
  CHECK(run.exit_code == 1);
  CHECK(run.out.empty());
  CHECK(run.err ==
        "baton: testdata/config/invalid/compose.yaml:4:5: services.web: unknown key \"imag\"\n");
}

TEST_CASE("config: a missing file exits 1", "[cli][config]") {
  Outcome run = RunBaton({"-f", "/nonexistent-dir/compose.yaml", "config"});
  CHECK(run.exit_code == 1);
  CHECK(run.err == "baton: /nonexistent-dir/compose.yaml: no such file\n");
}

TEST_CASE("config: the demo project merges its override and .env", "[cli][config]") {
  const fs::path demo = kSource / "testdata" / "demo";
  Outcome run = RunBaton({"--project-directory", demo.string(), "-f",
                          (demo / "compose.yaml").string(), "-f",
                          (demo / "compose.override.yaml").string(), "config"});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CHECK_THAT(run.out, Catch::Contains("image: registry.example.com/shop/api:1.4.2\n"));
  CHECK_THAT(run.out, Catch::Contains("LOG_LEVEL: debug\n"));
  CHECK_THAT(run.out, Catch::Contains("memory: \"536870912\"\n"));
  CHECK_THAT(run.out, Catch::Contains("condition: service_healthy\n"));
  CHECK_THAT(run.out, !Catch::Contains("demo-only-not-a-real-password"));
}

}  // namespace
