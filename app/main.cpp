// chanscope: the GUI (a scenario running live, worker_pool unless --scenario names another), or a
// headless subcommand.
#include <unistd.h>
#include <QApplication>
#include <QDockWidget>
#include <QPixmap>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <exception>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cli_options.h"
#include "headless_cli.h"
#include "main_window.h"
#include "redis/redis_url.h"
#include "redis_panel.h"
#include "scenario/controller.h"

namespace {

QStringList arguments_of(int argc, char** argv) {
    QStringList args;
    for (int i = 0; i < argc; ++i) args << QString::fromLocal8Bit(argv[i]);
    return args;
}

// Overwrites, in the process's own arguments, every password a redis URL among them carries
// with '*', so that ps and /proc/PID/cmdline do not show it. Call once they have been read.
void hide_passwords(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        std::string_view arg(argv[i]);
        if (arg.find("redis://") == std::string_view::npos) continue;
        if (auto secret = cs::redis::password_span(arg))
            std::fill(argv[i] + secret->first, argv[i] + secret->second, '*');
    }
}

// Saves the window as a PNG; false (with a message on stderr) if it cannot.
bool save_screenshot(QWidget& window, const QString& file) {
    if (window.grab().save(file, "PNG")) return true;
    std::fprintf(stderr, "chanscope: could not save the screenshot to '%s'\n",
                 file.toLocal8Bit().constData());
    return false;
}

// --report-frames: how smoothly the window kept up, and what the engine got through meanwhile
// (per node, per second of scenario time: compare with `chanscope run` of the same scenario).
void report_frames(const cs::ui::MainWindow& window) {
    std::printf("%s\n", window.frame_stats().text().c_str());
    if (const cs::scenario::Controller* run = window.run().controller()) {
        const cs::scenario::ScenarioReport report = run->report();
        std::printf("scenario %s: %.2f s of scenario time\n", report.scenario.c_str(),
                    std::chrono::duration<double>(report.elapsed).count());
        for (const cs::scenario::NodeReport& node : report.nodes)
            if (node.output > 0)
                std::printf("throughput %s: %.1f/s (%llu items)\n", node.name.c_str(),
                            node.throughput, static_cast<unsigned long long>(node.output));
    }
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    // Headless subcommands never start Qt: they run without a display.
    if (argc > 1 && cs::app::is_headless_command(argv[1])) {
        std::vector<std::string> args(argv + 1, argv + argc);
        hide_passwords(argc, argv);
        return *cs::app::run_headless_command(args, std::cout, std::cerr, isatty(2) == 1);
    }
    // First pass before Qt starts, so that --help and bad values need no display.
    auto early = cs::app::parse_cli(arguments_of(argc, argv), /*strict=*/false);
    if (auto* exit = std::get_if<cs::app::CliExit>(&early)) return exit->code;

    QApplication app(argc, argv);  // takes its own options (-platform, -style...) out of argv
    QApplication::setApplicationName(QStringLiteral("chanscope"));
    QApplication::setOrganizationName(QStringLiteral("ChanScope"));
    QApplication::setApplicationVersion(QStringLiteral(CHANSCOPE_VERSION));
    auto parsed = cs::app::parse_cli(QApplication::arguments(), /*strict=*/true);
    if (auto* exit = std::get_if<cs::app::CliExit>(&parsed)) return exit->code;
    const cs::app::CliOptions options = std::get<cs::app::CliOptions>(parsed);
    hide_passwords(argc, argv);  // QApplication reads argv again when asked: not before this

    try {
        cs::ui::MainWindow window;
        window.restore_settings();  // the layout, theme and presenter mode of the last session
        cs::ui::RunSettings settings;
        settings.speed = options.speed;
        if (!options.redis_url.isEmpty()) settings.redis_url = options.redis_url.toStdString();
        window.set_run_settings(settings);
        // A scenario that cannot start (Redis needed and none there...) is explained in the
        // window, which stays open for another choice.
        window.open_scenario(options.scenario);
        if (!options.redis_url.isEmpty()) {
            window.redis_panel()->connect_to(options.redis_url, {});
            if (auto* dock = window.findChild<QDockWidget*>(QStringLiteral("redis_dock")))
                dock->raise();  // asked to watch a Redis: show it
        }
        window.show();

        if (options.quit_after) {
            QTimer::singleShot(*options.quit_after, &window, [&window, &options] {
                int code = 0;
                if (!options.screenshot.isEmpty()) {
                    window.refresh();  // the latest state, not up to 33 ms old
                    if (!save_screenshot(window, options.screenshot)) code = 1;
                }
                QApplication::exit(code);
            });
        }
        const int code = QApplication::exec();
        if (options.report_frames) report_frames(window);
        return code;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "chanscope: %s\n", e.what());
        return 1;
    }
}
