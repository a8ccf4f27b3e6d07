#include "app/cli/Cli.h"

#include "core/runtime/BlasTuning.h"

#include <QGuiApplication>

#include <cstdio>

#include <sys/stat.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    redifine::selectBlasKernelsOrReexec(argv);
    // Rendering datasets and reports needs fonts and a paint device, not a screen.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // Qt warns on every start when XDG_RUNTIME_DIR is unset (containers, CI); give it its usual private folder.
    if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
        const QByteArray dir = "/tmp/runtime-" + QByteArray::number(getuid());
        mkdir(dir.constData(), 0700);
        qputenv("XDG_RUNTIME_DIR", dir);
    }
    QGuiApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("redifine"));
    QTextStream out(stdout);
    QTextStream err(stderr);
    QStringList arguments = QCoreApplication::arguments();
    arguments.removeFirst();
    return redifine::cli::run(arguments, out, err);
}
