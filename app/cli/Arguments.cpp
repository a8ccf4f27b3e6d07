#include "app/cli/Arguments.h"

#include "core/common/Error.h"

namespace redifine::cli {

namespace {

[[noreturn]] void fail(const QString &message)
{
    throw InputError(message.toStdString());
}

} // namespace

Arguments::Arguments(QString command, QStringList arguments)
    : m_command(std::move(command))
    , m_arguments(std::move(arguments))
{
}

bool Arguments::takeFlag(const QString &name)
{
    return m_arguments.removeAll(name) > 0;
}

std::optional<QString> Arguments::takeValue(const QString &name)
{
    const qsizetype index = m_arguments.indexOf(name);
    if (index < 0)
        return std::nullopt;
    if (index + 1 >= m_arguments.size() || m_arguments.at(index + 1).startsWith(QLatin1String("--")))
        fail(QStringLiteral("%1 %2: missing value").arg(m_command, name));
    const QString value = m_arguments.at(index + 1);
    m_arguments.remove(index, 2);
    if (m_arguments.contains(name))
        fail(QStringLiteral("%1 %2: given more than once").arg(m_command, name));
    return value;
}

QString Arguments::takeRequiredValue(const QString &name)
{
    const std::optional<QString> value = takeValue(name);
    if (!value)
        fail(QStringLiteral("%1: missing required option %2").arg(m_command, name));
    return *value;
}

std::optional<int> Arguments::takeInt(const QString &name)
{
    const std::optional<QString> text = takeValue(name);
    if (!text)
        return std::nullopt;
    bool ok = false;
    const int value = text->toInt(&ok);
    if (!ok)
        fail(QStringLiteral("%1 %2: expected an integer, got \"%3\"").arg(m_command, name, *text));
    return value;
}

std::optional<double> Arguments::takeDouble(const QString &name)
{
    const std::optional<QString> text = takeValue(name);
    if (!text)
        return std::nullopt;
    bool ok = false;
    const double value = text->toDouble(&ok);
    if (!ok)
        fail(QStringLiteral("%1 %2: expected a number, got \"%3\"").arg(m_command, name, *text));
    return value;
}

QStringList Arguments::takeValues(const QString &name)
{
    QStringList values;
    qsizetype index;
    while ((index = m_arguments.indexOf(name)) >= 0) {
        if (index + 1 >= m_arguments.size() || m_arguments.at(index + 1).startsWith(QLatin1String("--")))
            fail(QStringLiteral("%1 %2: missing value").arg(m_command, name));
        values << m_arguments.at(index + 1);
        m_arguments.remove(index, 2);
    }
    return values;
}

std::optional<QString> Arguments::takePositional()
{
    if (m_arguments.isEmpty() || m_arguments.first().startsWith(QLatin1String("--")))
        return std::nullopt;
    return m_arguments.takeFirst();
}

void Arguments::finish() const
{
    if (!m_arguments.isEmpty())
        fail(QStringLiteral("%1: unexpected argument \"%2\"").arg(m_command, m_arguments.first()));
}

} // namespace redifine::cli
