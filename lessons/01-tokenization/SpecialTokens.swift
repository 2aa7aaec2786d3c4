// Cell: special tokens. "<|endoftext|>" as one id that training never counted and merges never
// touch, the same text encoded as ordinary text, and tokens added for a chat format.
//
// The matching itself is the kernel's (Sources/LabKernel/Tokenizer/SpecialTokens.swift).

import LabKernel
import LabNotebook

extension TokenizationLesson {
    func specialTokens(_ tokenizer: BPETokenizer) {
        let marker = endOfText
        let id = tokenizer.specialTokens[marker]!
        let text = "The end.\(marker)Once upon"
        let special = tokenizer.encode(text)
        let ordinary = tokenizer.encodeOrdinary(text)
        func bracketed(_ tokenizer: BPETokenizer, _ ids: [Int]) -> String {
            ids.map { "[" + visibleToken(tokenizer.tokens[$0]) + "]" }.joined()
        }
        notebook.prose("""
            The corpus is a sequence of stories, and a model trained on it should learn where one \
            story ends and the next begins, a fact that no ordinary word expresses. So the stories \
            are separated by "\(marker)", and the tokenizer treats that string as a special token: \
            it has its own id, \(id), the last of the vocabulary; training cut the text apart at it \
            and never counted pairs across it; and encoding finds it before anything else, so it \
            is never split or merged:
            """)
        notebook.code("tokenizer.encode(\"\(text)\")\ntokenizer.encodeOrdinary(\"\(text)\")")
        let width = String(max(special.count, ordinary.count)).count
        func count(_ ids: [Int]) -> String { padded(String(ids.count), to: width, alignment: .right) + " tokens  " }
        notebook.values([("encode", count(special) + bracketed(tokenizer, special)),
                         ("encodeOrdinary", count(ordinary) + bracketed(tokenizer, ordinary))])
        notebook.prose("""
            `encodeOrdinary` treats the marker as plain text: \(ordinary.count - special.count + 1) \
            ordinary tokens instead of one special token. Both directions have uses. A program that \
            prepares training data inserts the separator as the special id; text typed by a user \
            should be encoded as ordinary text, or anyone could end a document, or in a chat model \
            impersonate the system, just by typing the marker.

            Chat models add more special tokens, for example to mark whose turn it is. They are \
            appended after the vocabulary:
            """)
        let chat = try! tokenizer.addingSpecialTokens(["<|user|>", "<|assistant|>"])
        let turn = "<|user|>Hi!<|assistant|>Hello."
        let ids = chat.encode(turn)
        notebook.code("let chat = try tokenizer.addingSpecialTokens([\"<|user|>\", \"<|assistant|>\"])")
        notebook.values([("chat.vocabularySize", grouped(chat.vocabularySize)),
                         ("chat.encode(\"\(turn)\")", ids.map(String.init).joined(separator: " ")),
                         ("tokens", bracketed(chat, ids))])
        notebook.prose("""
            A model knows nothing about new ids until it is trained with them: their embeddings \
            start random. That is why every chat model comes with its own fixed template, and \
            lesson 06 uses one for fine-tuning.
            """)
    }
}
