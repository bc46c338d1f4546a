// Folder shell/: the program around the features (main, the main window, message bar, app paths); the only folder that may include all the others.
// The ConvScope main window: the shape flow in the centre, the data and the
// layer-stack editor in side docks, the sequence, output and padding views in
// bottom docks. Owns the document, the background trace and data loading, the
// project file, autosave and recovery, and every menu action.
#pragma once

#include <QMainWindow>
#include <QPointer>
#include <optional>

#include "session/ProjectFile.hpp"
#include "data/dataset.hpp"

class DataLoader;
class DataPanel;
class ExplainDialog;
class ExportDialog;
class LayerStackEditor;
class MessageBar;
class OutputView;
class PaddingPreview;
class QCustomPlot;
class QDockWidget;
class QMenu;
class QTimer;
class SequenceView;
class ShapeFlowView;
class StackDocument;
class TraceRunner;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    struct Options {
        bool interactive = true;  // ask before discarding work, offer crash recovery
        bool autosave = true;
    };

    explicit MainWindow(Options options, QWidget* parent = nullptr);
    MainWindow() : MainWindow(Options{}) {}
    ~MainWindow() override;

    // Opens a project (*.convscope), a stack (*.json) or a data file, by name.
    // A file that cannot be read leaves the current work as it was and says why.
    bool openPath(const QString& path);
    bool openProject(const QString& path);
    bool openStack(const QString& path);
    void openData(const QString& path);  // asynchronous: dataLoaded() or the message bar
    bool saveProject(const QString& path);
    bool importStackText(const QString& text, const QString& source);
    // First run: the bundled sample with the transposed-input mistake.
    bool openFirstRunSample();
    // Offers the autosaved work of a session that did not end cleanly.
    void offerRecovery();

    ProjectData currentProject() const;
    QString projectPath() const { return m_projectPath; }
    bool isModified() const;
    const std::optional<convscope::data::Dataset>& dataset() const { return m_dataset; }
    QString dataPath() const { return m_dataPath; }

    bool applyFix(int index);
    void selectStep(int step);
    int selectedStep() const { return m_selectedStep; }
    ExportDialog* createExportDialog();
    ExplainDialog* explainDialog();  // Help > Explain an Error, created on first use
    QList<QPair<QString, QCustomPlot*>> namedPlots() const;
    void writeAutosave();

    StackDocument* document() const { return m_doc; }
    TraceRunner* traceRunner() const { return m_runner; }
    ShapeFlowView* flowView() const { return m_flow; }
    LayerStackEditor* stackEditor() const { return m_editor; }
    DataPanel* dataPanel() const { return m_dataPanel; }
    SequenceView* sequenceView() const { return m_sequence; }
    OutputView* outputView() const { return m_output; }
    PaddingPreview* paddingPreview() const { return m_padding; }
    MessageBar* messageBar() const { return m_message; }
    QDockWidget* dock(const QString& objectName) const;
    QAction* action(const QString& objectName) const;

signals:
    void dataLoaded();
    void dataFailed(const QString& message);
    void outputsUpdated();

protected:
    void closeEvent(QCloseEvent* e) override;
    void dragEnterEvent(QDragEnterEvent* e) override;
    void dropEvent(QDropEvent* e) override;

private:
    void buildDocks();
    void buildActions();
    void connectSignals();
    void readSettings();
    void writeSettings() const;
    void retrace();
    void onTraceReady();
    void scheduleOutputs();
    void updateOutputs();
    void onDocumentChanged();
    void updateTitle();
    void addRecent(const QString& path);
    void rebuildRecentMenu();
    bool maybeSave();
    void showError(const QString& message);
    void showInfo(const QString& message);
    void setTheme(const QString& name);
    void applyViewState(const ProjectViewState& view);
    void showShortcuts();
    void showAbout();
    QString dialogDir() const;

    Options m_options;
    StackDocument* m_doc;
    TraceRunner* m_runner;
    DataLoader* m_loader;
    MessageBar* m_message;
    ShapeFlowView* m_flow;
    LayerStackEditor* m_editor;
    DataPanel* m_dataPanel;
    SequenceView* m_sequence;
    OutputView* m_output;
    PaddingPreview* m_padding;
    QMenu* m_recentMenu = nullptr;
    QMenu* m_samplesMenu = nullptr;
    QTimer* m_autosaveTimer;
    QTimer* m_outputsTimer;
    QPointer<ExplainDialog> m_explain;

    std::optional<convscope::data::Dataset> m_dataset;
    QString m_dataPath;
    QString m_weightsPath;
    QString m_projectPath;
    bool m_dataDirty = false;
    int m_selectedStep = 0;
    int m_sequenceIndex = 0;
    quint64 m_outputsGeneration = 0;
    std::optional<ProjectViewState> m_pendingView;  // applied once the project's data is in
};
