#pragma once

#include <QHash>
#include <QJsonObject>
#include <QWidget>

#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;

namespace redifine {

class CfgScheduleEditor;

// Chain setup: every ChainConfig setting a user changes day to day, grouped, the paper's presets one click
// away, validated as you type (the field in error is marked and its tooltip says why), and the CFG schedule
// editor. "Queue chain" hands a validated config to the queue.
class ChainSetupPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ChainSetupPanel(QWidget *parent = nullptr);

    void loadPreset(const QString &name);
    // The config the form describes (the preset's settings with the form's values over them).
    QJsonObject config() const;
    // Fills the form from a whole config (fields the form lacks are kept and written back by config()).
    void setConfig(const QJsonObject &config);
    // Validates; returns the error ("field: problem") or an empty string, and marks the field in error.
    QString validate();
    CfgScheduleEditor *scheduleEditor() const { return m_schedule; }
    QWidget *fieldWidget(const QString &dottedKey) const { return m_fields.value(dottedKey).widget; }
    void setField(const QString &dottedKey, const QVariant &value);

Q_SIGNALS:
    void queueRequested(const QJsonObject &config);

private:
    struct Field
    {
        QWidget *widget = nullptr;
        std::function<QJsonValue()> value;
        std::function<void(const QJsonValue &)> setValue;
    };
    void addField(const QString &dottedKey, QWidget *widget, std::function<QJsonValue()> value,
                  std::function<void(const QJsonValue &)> setValue);
    void markError(const QString &error);

    QJsonObject m_base;
    QHash<QString, Field> m_fields;
    QWidget *m_marked = nullptr;   // the field markError() framed, and the tooltip it had before
    QString m_markedToolTip;
    int m_sd15Resolution = 512;   // kept while the tiny family is shown (a tiny model file carries its own size)
    QComboBox *m_preset;
    CfgScheduleEditor *m_schedule;
    QLabel *m_error;
};

} // namespace redifine
