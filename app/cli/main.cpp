#include "app/cli/Cli.h"

#include "core/runtime/BlasTuning.h"

#include <QGuiApplication>

#include <cstdio>

int main(int argc, char **argv)
{
    redifine::selectBlasKernelsOrReexec(argv);
    // Rendering datasets and reports needs fonts and a paint device, not a screen.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QGuiApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("redifine"));
    QTextStream out(stdout);
    QTextStream err(stderr);
    QStringList arguments = QCoreApplication::arguments();
    arguments.removeFirst();
    return redifine::cli::run(arguments, out, err);
}
