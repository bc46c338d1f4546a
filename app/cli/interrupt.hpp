// Ctrl+C and SIGTERM for the CLI: remove temporary files being written, and
// either ask the running computation to stop (first signal while one listens)
// or end the process at once with 130 (SIGINT) or 143 (SIGTERM).
#pragma once

namespace convscope::cli {

// Installs the handlers; call once at start.
void install_interrupt_handlers();

// While an InterruptibleWork object lives, the first signal only sets a flag
// that the work polls (between chunks or layers) and a second ends the process.
class InterruptibleWork {
public:
    InterruptibleWork();
    ~InterruptibleWork();
    InterruptibleWork(const InterruptibleWork&) = delete;
    InterruptibleWork& operator=(const InterruptibleWork&) = delete;
    bool requested() const;  // a signal arrived
    int exit_status() const;  // 130 for SIGINT, 143 for SIGTERM
};

}  // namespace convscope::cli
