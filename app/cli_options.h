#pragma once
// The chanscope command line: what the GUI accepts and how bad input is refused.
//
//   chanscope [--scenario FILE|NAME] [--speed X] [--redis URL]
//             [--screenshot FILE --quit-after DURATION] [--report-frames]
//
// Parsed before the QApplication exists, so --help and errors need no display.
#include <QString>
#include <QStringList>
#include <chrono>
#include <optional>
#include <variant>

namespace cs::app {

struct CliOptions {
    QString scenario = QStringLiteral("worker_pool");     // a scenario file or built-in name
    double speed = 1.0;                                   // clock speed, 0.05 .. 10
    QString screenshot;                                   // PNG to save before quitting; "": none
    std::optional<std::chrono::milliseconds> quit_after;  // quit this long after start; none: run
    // The Redis panel connects to it at start, and scenarios that use Redis run on it;
    // "": not connected, and such scenarios start a private redis-server.
    QString redis_url;
    bool report_frames = false;  // print frame-time statistics and the run's throughput on exit
};

// What the process should do instead of starting: exit with this code (after --help/--version,
// code 0, or a usage error already printed to stderr, code 2).
struct CliExit {
    int code;
};

// Parses `arguments` (arguments[0] is the program). Prints help/version to stdout and errors to
// stderr. `strict`: options unknown to chanscope are errors; otherwise they are left for
// QApplication (e.g. -platform offscreen), which removes the ones it knows.
std::variant<CliOptions, CliExit> parse_cli(const QStringList& arguments, bool strict);

// "500ms", "2s", "1.5s", "2" (seconds). nullopt for anything else, zero, negative or > 1 day.
std::optional<std::chrono::milliseconds> parse_duration(const QString& text);

}  // namespace cs::app
