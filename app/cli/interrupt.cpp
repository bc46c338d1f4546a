#include "interrupt.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>

#include "common/pending_temp_files.hpp"

namespace convscope::cli {

namespace {

// Process-wide by necessity: signal handlers reach only globals.
std::atomic<bool> g_listening{false};
std::atomic<int> g_signal{0};

void say(const char* text) {
    size_t n = 0;
    while (text[n]) ++n;
    (void)!::write(STDERR_FILENO, text, n);
}

// Only async-signal-safe calls: unlink (inside remove_pending_temp_files), write, _exit.
extern "C" void on_signal(int signo) {
    remove_pending_temp_files();
    const bool first = g_signal.exchange(signo) == 0;
    if (first && g_listening.load()) {
        say("\nconvscope-cli: interrupted; stopping at the next chunk or layer (press Ctrl+C again to stop now)\n");
        return;
    }
    say(signo == SIGINT ? "\nconvscope-cli: interrupted (Ctrl+C); no partial file is left behind\n"
                        : "\nconvscope-cli: terminated (SIGTERM); no partial file is left behind\n");
    ::_exit(128 + signo);
}

}  // namespace

void install_interrupt_handlers() {
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: a blocked read returns EINTR
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

InterruptibleWork::InterruptibleWork() { g_listening.store(true); }
InterruptibleWork::~InterruptibleWork() { g_listening.store(false); }
bool InterruptibleWork::requested() const { return g_signal.load() != 0; }
int InterruptibleWork::exit_status() const { return 128 + g_signal.load(); }

}  // namespace convscope::cli
