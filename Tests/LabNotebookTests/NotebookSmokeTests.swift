import XCTest
final class NotebookSmokeTests: XCTestCase { func testNothing() {} }
