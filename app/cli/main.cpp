#include "app/cli/Cli.h"

#include "core/runtime/Allocator.h"
#include "core/runtime/BlasTuning.h"

#include <QGuiApplication>

#include <cstdio>

#include <sys/stat.h>
#include <unistd.h>

namespace {

// stderr carries the product's own one-line errors and warnings: library chatter that Qt relays (libpng's
// "iCCP: known incorrect sRGB profile" on a user's image, font-config notes) is dropped unless
// REDIFINE_DEBUG is set; critical and fatal messages still pass.
void quietLibraryMessages(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    static const bool debug = !qEnvironmentVariableIsEmpty("REDIFINE_DEBUG");
    if (!debug && (type == QtDebugMsg || type == QtInfoMsg || type == QtWarningMsg))
        return;
    std::fprintf(stderr, "%s\n", qPrintable(qFormatLogMessage(type, context, message)));
}

} // namespace

int main(int argc, char **argv)
{
    qInstallMessageHandler(quietLibraryMessages);
    redifine::selectBlasKernelsOrReexec(argv);
    redifine::keepFreedMemoryForReuse();
    // Rendering datasets and reports needs fonts and a paint device, not a screen.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    // Qt warns on every start when XDG_RUNTIME_DIR is unset (containers, CI); give it its usual private folder.
    if (qEnvironmentVariableIsEmpty("XDG_RUNTIME_DIR")) {
        const QByteArray dir = "/tmp/runtime-" + QByteArray::number(getuid());
        mkdir(dir.constData(), 0700);
        qputenv("XDG_RUNTIME_DIR", dir);
    }
    // The arguments are read before QGuiApplication exists: it removes the options it knows itself from argv
    // (-style, --style, -platform, -reverse, ...), and `redifine dataset --style symbola` silently became noto.
    QStringList arguments;
    for (int i = 1; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    int qtArgc = 1;
    QGuiApplication app(qtArgc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("redifine"));
    QTextStream out(stdout);
    QTextStream err(stderr);
    return redifine::cli::run(arguments, out, err);
}
