// Checks of exported notebooks and figures that need no Python: the parts of nbformat 4.5's
// JSON schema a notebook's cells and outputs must satisfy, and XML well-formedness of SVG.
//
// `jupyterSchemaProblems` follows nbformat's `nbformat.v4.5.schema.json`: the top-level keys and
// their types, and for each cell kind and output kind its required keys, their types, and no
// keys the schema does not allow (it sets `additionalProperties: false` on cells and outputs).
// It is not a general JSON-schema validator; `scripts/notebooks/validate.py` runs the official
// one when Python's `nbformat` is installed.

import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What is wrong with the notebook `data` under nbformat 4.5's schema (empty when nothing is).
public func jupyterSchemaProblems(_ data: Data) -> [String] {
    guard let object = try? JSONSerialization.jsonObject(with: data), let notebook = object as? [String: Any] else {
        return ["the file is not a JSON object"]
    }
    var problems: [String] = []
    func require(_ condition: Bool, _ problem: @autoclosure () -> String) {
        if !condition { problems.append(problem()) }
    }
    require(Set(notebook.keys) == ["cells", "metadata", "nbformat", "nbformat_minor"],
            "top-level keys are \(notebook.keys.sorted()), expected cells, metadata, nbformat, nbformat_minor")
    require(notebook["nbformat"] as? Int == 4, "nbformat must be 4")
    require((notebook["nbformat_minor"] as? Int ?? 0) >= 5, "nbformat_minor must be at least 5 (cell ids)")
    if let metadata = notebook["metadata"] as? [String: Any] {
        if let kernel = metadata["kernelspec"] {
            let spec = kernel as? [String: Any]
            require(spec?["name"] is String && spec?["display_name"] is String,
                    "metadata.kernelspec needs the strings name and display_name")
        }
        if let language = metadata["language_info"] {
            require((language as? [String: Any])?["name"] is String, "metadata.language_info needs the string name")
        }
    } else {
        problems.append("metadata must be an object")
    }
    guard let cells = notebook["cells"] as? [[String: Any]] else {
        return problems + ["cells must be an array of objects"]
    }
    var ids: Set<String> = []
    for (index, cell) in cells.enumerated() {
        let name = "cell \(index)"
        guard let kind = cell["cell_type"] as? String else { problems.append("\(name): no cell_type"); continue }
        let allowed: Set<String>
        switch kind {
        case "markdown", "raw": allowed = ["id", "cell_type", "metadata", "source", "attachments"]
        case "code": allowed = ["id", "cell_type", "metadata", "source", "outputs", "execution_count"]
        default: problems.append("\(name): unknown cell_type '\(kind)'"); continue
        }
        let keys = Set(cell.keys)
        require(keys.isSubset(of: allowed), "\(name) (\(kind)): keys \(keys.subtracting(allowed).sorted()) are not allowed")
        if let id = cell["id"] as? String {
            let valid = (1...64).contains(id.count) && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
            require(valid, "\(name): id '\(id)' must be 1 to 64 letters, digits, - or _")
            require(ids.insert(id).inserted, "\(name): id '\(id)' is used twice")
        } else {
            problems.append("\(name): no id (required from nbformat 4.5)")
        }
        require(cell["metadata"] is [String: Any], "\(name): metadata must be an object")
        require(isMultilineString(cell["source"]), "\(name): source must be a string or an array of strings")
        if kind == "code" {
            require(keys.contains("execution_count") && (cell["execution_count"] is Int || cell["execution_count"] is NSNull),
                    "\(name): execution_count must be an integer or null")
            guard let outputs = cell["outputs"] as? [[String: Any]] else {
                problems.append("\(name): outputs must be an array of objects")
                continue
            }
            for (number, output) in outputs.enumerated() {
                problems += outputProblems(output).map { "\(name), output \(number): \($0)" }
            }
        }
    }
    return problems
}

/// The schema's rules for one output.
private func outputProblems(_ output: [String: Any]) -> [String] {
    var problems: [String] = []
    let keys = Set(output.keys)
    switch output["output_type"] as? String {
    case "stream":
        if !keys.isSubset(of: ["output_type", "name", "text"]) { problems.append("stream: extra keys \(keys.sorted())") }
        if !["stdout", "stderr"].contains(output["name"] as? String ?? "") { problems.append("stream: name must be stdout or stderr") }
        if !isMultilineString(output["text"]) { problems.append("stream: text must be a string or an array of strings") }
    case "display_data", "execute_result":
        let allowed: Set<String> = output["output_type"] as? String == "display_data"
            ? ["output_type", "data", "metadata"] : ["output_type", "data", "metadata", "execution_count"]
        if !keys.isSubset(of: allowed) { problems.append("\(output["output_type"]!): extra keys \(keys.subtracting(allowed).sorted())") }
        guard let data = output["data"] as? [String: Any] else { return problems + ["data must be an object"] }
        for (mime, value) in data {
            if !mime.contains("/") { problems.append("data key '\(mime)' is not a MIME type") }
            if !mime.hasSuffix("json") && !isMultilineString(value) { problems.append("data[\(mime)] must be a string or an array of strings") }
        }
        if !(output["metadata"] is [String: Any]) { problems.append("metadata must be an object") }
    case "error":
        if !(output["ename"] is String && output["evalue"] is String && output["traceback"] is [String]) {
            problems.append("error: needs ename, evalue and traceback")
        }
    default:
        problems.append("unknown output_type \(String(describing: output["output_type"]))")
    }
    return problems
}

private func isMultilineString(_ value: Any?) -> Bool {
    value is String || (value as? [Any])?.allSatisfy { $0 is String } == true
}

/// Nil when `text` is a well-formed XML document, otherwise the parser's complaint with its line.
public func xmlProblem(_ text: String) -> String? {
    let parser = XMLParser(data: Data(text.utf8))
    if parser.parse() { return nil }
    let error = parser.parserError.map { "\($0)" } ?? "unknown error"
    return "not well-formed XML at line \(parser.lineNumber), column \(parser.columnNumber): \(error)"
}
