public enum CoursePlaceholder {}
